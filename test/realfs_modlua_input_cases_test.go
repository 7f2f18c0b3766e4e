package test

import "github.com/eslscript/eslscript/internal/realfs"

// Compatibility scripts: input callbacks (setInputCallback) during media
// calls and collectDigits.
var compatInputCases = []compatCase{
	{name: "input_break", lua: `
function on_input(s, kind, obj, arg)
  mlc("input", kind, obj.digit, arg)
  return "break"
end
cb_arg = "my arg"
session:answer()
session:setInputCallback("on_input", "cb_arg")
mlc("stream", session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
mlc("ready", session:ready())
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("5") }},
	{name: "input_continue", lua: `
function on_input(s, kind, obj)
  got = (got or "") .. obj.digit
  if obj.digit == "#" then return 0 end
  return true
end
session:answer()
session:setInputCallback("on_input")
mlc("stream", session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
mlc("got", got)
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("12#") }},
	{name: "input_sleep", lua: `
function on_input(s, kind, obj)
  mlc("input", obj.digit)
  return "stop"
end
session:answer()
session:setInputCallback("on_input")
session:execute("set", "mlc_ready=1")
mlc("sleep", session:sleep(5000))
session:unsetInputCallback()
session:hangup()
`, drive: func(c *compatCall) { c.waitAppDone("set", "mlc_ready=1"); c.dtmf("9") }},
	{name: "input_error", lua: `
function on_input(s, kind, obj)
  error("callback failed")
end
session:answer()
session:setInputCallback("on_input")
mlc("stream", session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
mlc("ready", session:ready())
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("5") }},
	{name: "input_record_error", lua: `
function on_input(s, kind, obj)
  error("callback failed")
end
session:answer()
session:setInputCallback("on_input")
local file = session:getVariable("mlc_rec_dir") .. "/" .. MLC_TAG .. ".wav"
mlc("record", session:recordFile(file, 5, 0, 0))
session:hangup()
`, drive: func(c *compatCall) { c.waitEvent("RECORD_START", 1, nil); c.dtmf("5") }},
	{name: "collect_digits", lua: `
function on_input(s, kind, obj)
  got = (got or "") .. obj.digit
  if #got == 2 then return "break" end
end
session:answer()
mlc("no callback", session:collectDigits(100))
session:setInputCallback("on_input")
session:execute("set", "mlc_ready=1")
mlc("collect", session:collectDigits(3000))
mlc("got", got)
session:hangup()
`, drive: func(c *compatCall) { c.waitAppDone("set", "mlc_ready=1"); c.dtmf("48") }},
	{name: "input_event", vars: map[string]string{"eslscript_divert_events": "true"}, lua: `
function on_input(s, kind, obj)
  if kind == "event" then
    mlc("event", obj:getType(), obj:getHeader("Event-Subclass"), obj:getHeader("mlc-x"), obj:getBody())
  else
    mlc("digit", obj.digit)
  end
  return "break"
end
session:answer()
session:setInputCallback("on_input")
mlc("first", session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
mlc("second", session:streamFile("tone_stream://%(1000,0,450);loops=-1"))
session:hangup()
`, drive: func(c *compatCall) {
		c.waitPlayback(1)
		c.dtmf("3")
		c.waitPlayback(2)
		c.s.fs.SendEvent(c.t, "CUSTOM", []realfs.Header{{Name: "Event-Subclass", Value: "mlc::input"},
			{Name: "Unique-ID", Value: c.b()}, {Name: "mlc-x", Value: "queued"}}, "the body")
	}, diffs: []string{"divert-events"}},
}
