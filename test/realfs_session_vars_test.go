package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessVarsLua reads variables after its caller hung up (during a tone);
// run by FreeSWITCH's mod_lua and by eslscript alike, reporting as
// sessResultsLua does (argv[1] is the tag).
const sessVarsLua = `
local tag = argv[1]
local function report(name, v)
  freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " " .. name .. "=" .. tostring(v) .. "\n")
end
session:answer()
session:streamFile("tone_stream://%(1000,0,440);loops=-1")
report("ready", session:ready())
report("caller_id_number", session:getVariable("caller_id_number"))
report("caller_id_name", session:getVariable("caller_id_name"))
report("sess_mark", session:getVariable("sess_mark"))
report("done", "yes")
`

// After the caller hangs up, getVariable answers what mod_lua answers:
// caller profile fields (caller_id_number...) and channel variables from
// the call's last known state.
func TestRealSessionVariablesAfterHangup(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_vars", sessVarsLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/vars.lua": sessVarsLua}), "mod_lua/vars")
	vars := "origination_caller_id_number=4005551234,origination_caller_id_name=Ann,sess_mark=m1"
	results := map[string]map[string]string{}
	for _, engine := range []string{"eslscript", "mod_lua"} {
		tag := realToken(t)
		var a string
		if engine == "eslscript" {
			a = sessOriginate(t, d, vars+",eslscript_argv="+tag, "&park")
		} else {
			a = sessOriginateExt(t, fs, vars+",lua_args="+tag, "lua_sess_vars", "&park")
		}
		rec.Wait(t, waitReal, "the tone of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
			return ev.Get("variable_other_loopback_leg_uuid") == a
		}))
		// hang up the scripted channel itself, as a caller's BYE does on
		// its SIP channel (killing the loopback peer instead races: the
		// tone can end with the peer's media before this channel's own
		// hangup begins, and then even mod_lua's ready() is true)
		fs.MustAPI(t, "uuid_kill "+rec.BLegUUID(a))
		rec.Hangup(t, a, waitReal)
		var lines []string
		if engine == "eslscript" {
			d.waitLog("the report of "+tag, func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" done=") })
			for _, l := range d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" ") }) {
				lines = append(lines, l.str("msg"))
			}
		} else {
			lines = fs.Log("SESSRESULT " + tag + " ")
		}
		results[engine] = sessResults(lines, tag)
	}
	want := map[string]string{"ready": "false", "caller_id_number": "4005551234", "caller_id_name": "Ann", "sess_mark": "m1"}
	for engine, got := range results {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: getVariable(%q) after the hangup = %q, want %q", engine, k, got[k], v)
			}
		}
	}
}

// sessOriginateExt is sessOriginate for any extension of context default.
func sessOriginateExt(t *testing.T, fs *realfs.FreeSWITCH, vars, ext, app string) string {
	t.Helper()
	a := realfs.NewUUID()
	fs.MustAPI(t, "bgapi originate {origination_uuid="+a+","+vars+"}loopback/"+ext+"/default "+app)
	return a
}

// sessNoteLua stores a two-line value with setVariable and reads it back;
// run by FreeSWITCH's mod_lua and by eslscript alike (argv[1] is the tag).
const sessNoteLua = `
local tag = argv[1]
session:answer()
local ok, err = session:setVariable("sess_note", "line one\nline two")
freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " set=" .. tostring(ok ~= false) .. "|" .. tostring(err) .. "\n")
local v = session:getVariable("sess_note") or "nil"
freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " note=" .. v:gsub("\n", "<NL>") .. "\n")
session:hangup()
`

// A value with a line break survives setVariable (it became "line one line
// two"), as under mod_lua: the channel holds both lines.
func TestRealSessionSetVariableKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_note", sessNoteLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/note.lua": sessNoteLua}), "mod_lua/note")
	for _, engine := range []string{"eslscript", "mod_lua"} {
		tag := realToken(t)
		var a string
		if engine == "eslscript" {
			a = sessOriginate(t, d, "eslscript_argv="+tag, "&park")
		} else {
			a = sessOriginateExt(t, fs, "lua_args="+tag, "lua_sess_note", "&park")
		}
		hc := rec.Hangup(t, a, waitReal)
		if got := hc.Get("variable_sess_note"); got != "line one\nline two" {
			t.Errorf("%s: the channel's sess_note is %q", engine, got)
		}
		var lines []string
		if engine == "eslscript" {
			d.waitLog("the report of "+tag, func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" note=") })
			for _, l := range d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" ") }) {
				lines = append(lines, l.str("msg"))
			}
		} else {
			lines = fs.Log("SESSRESULT " + tag + " ")
		}
		if got := sessResults(lines, tag)["note"]; got != "line one<NL>line two" {
			t.Errorf("%s: getVariable after setVariable = %q", engine, got)
		}
	}
}
