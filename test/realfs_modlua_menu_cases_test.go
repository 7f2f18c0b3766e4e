package test

import "github.com/eslscript/eslscript/internal/realfs"

// Compatibility scripts: freeswitch.IVRMenu (mod_lua's menu engine).

// menuTone is a greeting long enough for the driver to type during it
// (one per menu, told apart by frequency).
const (
	menuGreeting = "tone_stream://%(3000,0,400)"
	menuShort    = "tone_stream://%(3000,0,410)"
	menuInvalid  = "tone_stream://%(200,0,420)"
	menuExit     = "tone_stream://%(200,0,430)"
	menuSub      = "tone_stream://%(3000,0,440)"
)

var compatMenuCases = []compatCase{
	{name: "menu_basic", vars: map[string]string{"mlc_greet": menuGreeting}, lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "${mlc_greet}", "` + menuShort + `", "` + menuInvalid + `", "` + menuExit + `",
  "", "", "", "", "", 0, 0, 1, 3000, 3, 3)
m:bindAction("menu-exec-app", "set mlc_choice=one", "1")
m:bindAction("menu-exit", "", "2")
m:execute(session, "main")
mlc("status", session:getVariable("ivr_menu_status"), session:getVariable("mlc_choice"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("1")
		c.waitEvent("PLAYBACK_START", 1, func(ev realfs.Event) bool { return ev.Get("Playback-File-Path") == menuShort })
		c.dtmf("2")
	}},
	{name: "menu_failures", lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "` + menuGreeting + `", "", "` + menuInvalid + `", "` + menuExit + `",
  "", "", "", "", "", 0, 0, 1, 2000, 2, 3)
m:bindAction("menu-exit", "", "1")
m:execute(session, "main")
mlc("status", session:getVariable("ivr_menu_status"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("9")
		c.waitPlayback(3) // the invalid sound, then the greeting again
		c.dtmf("8")
	}},
	{name: "menu_timeouts", lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "` + menuInvalid + `", "", "", "` + menuExit + `",
  "", "", "", "", "", 0, 0, 1, 600, 3, 2)
m:bindAction("menu-exit", "", "1")
m:execute(session, "main")
mlc("status", session:getVariable("ivr_menu_status"))
session:hangup()
`},
	{name: "menu_sub_regex", lua: `
session:answer()
local top = freeswitch.IVRMenu(nil, "top", "` + menuGreeting + `", "", "", "` + menuExit + `",
  "", "", "", "", "", 0, 500, 2, 3000, 3, 3)
local sub = freeswitch.IVRMenu(top, "sub", "` + menuSub + `", "", "", "` + menuInvalid + `",
  "", "", "", "", "", 0, 0, 1, 3000, 3, 3)
top:bindAction("menu-exec-app", "set mlc_re=$1", "/^5(\\d)$/")
top:bindAction("menu-sub", "sub", "3")
top:bindAction("menu-exit", "", "0")
sub:bindAction("menu-back", "", "9")
top:execute(session, "top")
mlc("status", session:getVariable("ivr_menu_status"), session:getVariable("mlc_re"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("57")
		c.waitPlayback(2)
		c.dtmf("3#")
		c.waitEvent("PLAYBACK_START", 1, func(ev realfs.Event) bool { return ev.Get("Playback-File-Path") == menuSub })
		c.dtmf("9")
		c.waitPlayback(4)
		c.dtmf("0#")
	}},
	{name: "menu_confirm", lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "` + menuGreeting + `", "", "", "",
  "", "mlc_no_such_macro", "1", "", "", 2, 0, 2, 2000, 3, 3)
m:bindAction("menu-exec-app", "set mlc_confirmed=yes", "42")
m:bindAction("menu-exit", "", "70")
m:execute(session, "main")
mlc("confirmed", session:getVariable("mlc_confirmed"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("421") // 42, confirmed with the key 1
		c.waitPlayback(2)
		c.dtmf("702") // 70, rejected: 2 is not the key
		c.waitPlayback(3)
		c.dtmf("701")
	}},
	{name: "menu_typeahead", lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "` + menuGreeting + `", "", "", "` + menuExit + `",
  "", "", "", "", "", 0, 0, 1, 2000, 3, 3)
m:bindAction("menu-exec-app", "set mlc_got=$1", "/^([4-6])$/")
m:bindAction("menu-exit", "", "7")
m:execute(session, "main")
mlc("got", session:getVariable("mlc_got"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("56") // 5 cuts the greeting; 6, typed ahead, the next one
		c.waitPlaybackAfter("set", "mlc_got=6")
		c.dtmf("7")
	}, diffs: []string{"typeahead-prompt"}},
	{name: "menu_transfer", lua: `
session:answer()
local m = freeswitch.IVRMenu(nil, "main", "` + menuGreeting + `", "", "", "` + menuExit + `",
  "` + menuInvalid + `", "", "", "", "", 0, 0, 1, 3000, 3, 3)
m:bindAction("menu-exec-app", "transfer landing XML default", "1")
m:execute(session, "main")
mlc("ready", session:ready())
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("1")
		c.waitApp("park", "")
		c.hangupCaller()
	}},
	{name: "menu_arity", lua: `
local ok, err = pcall(freeswitch.IVRMenu, nil, "x")
mlc("arity", ok, err)
`},
}
