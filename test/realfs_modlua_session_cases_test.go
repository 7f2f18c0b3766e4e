package test

import (
	"strconv"
	"strings"
)

// Compatibility scripts: the session object's state, variables and
// control methods, freeswitch.API, globals and argv.
var compatSessionCases = []compatCase{
	{name: "answer_state", lua: `
mlc("before", session:ready(), session:answered(), session:mediaReady(), session:getState())
mlc("answer", session:answer())
mlc("after", session:ready(), session:answered(), session:mediaReady(), session:getState(), session:bridged())
mlc("uuid", session:get_uuid() == session.uuid, session:hangupCause())
session:hangup("USER_BUSY")
mlc("hung up", session:ready(), session:hangupCause())
mlc("answer again", session:answer())
`, lines: []lineDiff{{diff: "after-hangup-results", what: "answer again", mod: "0", esl: "nil hangup"}}},
	{name: "preanswer", lua: `
mlc("pre", session:preAnswer())
mlc("state", session:ready(), session:answered(), session:mediaReady())
session:hangup("normal_temporary_failure")
`},
	{name: "return_up", lua: `
session:answer()
session:setVariable("mlc_set", "yes")
`},
	{name: "hangup_default", lua: `
session:answer()
session:hangup()
mlc("ready", session:ready())
`},
	{name: "variables", vars: map[string]string{"origination_caller_id_name": "''", "mlc_in": "'from the dialplan'"}, lua: `
session:setVariable("mlc_a", "one two")
session:setVariable("mlc_b", "x")
session:setVariable("mlc_b", nil)
session:setVariable("mlc_quote", "it's \\ here")
session:setVariable("mlc_lines", "line one\nline two")
mlc("a", session:getVariable("mlc_a"))
mlc("b", session:getVariable("mlc_b"))
mlc("quote", session:getVariable("mlc_quote"))
mlc("lines", session:getVariable("mlc_lines"))
mlc("in", session:getVariable("mlc_in"))
mlc("unset", session:getVariable("mlc_never"))
mlc("empty name", session:getVariable("caller_id_name"))
mlc("rdnis", session:getVariable("rdnis"))
mlc("dest", session:getVariable("destination_number"))
mlc("number", session:getVariable("caller_id_number"))
session:setVariable("mlc_expand", "${mlc_in}")
mlc("expand", session:getVariable("mlc_expand"))
session:setVariable("mlc_num", 42)
mlc("num", session:getVariable("mlc_num"))
session:hangup()
`, diffs: []string{"multiline-set"}},
	{name: "api", lua: `
local api = freeswitch.API()
mlc("eval", api:execute("eval", "hello"))
mlc("string", api:executeString("eval world"))
mlc("unknown", api:execute("mlc_no_such_command", "x"))
mlc("empty", api:executeString(""))
mlc("time", type(api:getTime()), #api:getTime())
local sapi = freeswitch.API(session)
mlc("with session", sapi:execute("eval", "x"))
mlc("uuid_getvar", api:executeString("uuid_getvar " .. session:get_uuid() .. " mlc_none"))
`},
	{name: "globals", lua: `
freeswitch.setGlobalVariable("mlc_g_" .. MLC_TAG, "gval")
mlc("get", freeswitch.getGlobalVariable("mlc_g_" .. MLC_TAG))
mlc("unset", freeswitch.getGlobalVariable("mlc_g_none"))
mlc("running", freeswitch.running())
mlc("session var", session:getVariable("mlc_g_" .. MLC_TAG))
`},
	{name: "argv", args: "one two 3", lua: `
mlc("argv", #argv, argv[1], argv[2], argv[3], type(argv[3]), argv[0])
`},
	{name: "argv_quoted", args: `'a b' c\sd it\'s  'x''y' tab\tz`, lua: `
local t = {}
for i = 1, #argv do t[#t + 1] = "[" .. argv[i] .. "]" end
mlc("argv", #argv, table.concat(t))
`},
	{name: "argv_many", args: manyArgs(200), lua: `
mlc("argv", #argv, argv[1], argv[126], argv[127], argv[128])
`},
	{name: "argv_none", lua: `
mlc("argv", #argv, argv[0], argv[1])
`},
	{name: "console_log", lua: `
freeswitch.consoleLog("info", "MLC " .. MLC_TAG .. " at info\n")
freeswitch.consoleLog("WARNING", "MLC " .. MLC_TAG .. " at warning\n")
freeswitch.consoleLog("err", "MLC " .. MLC_TAG .. " at err\n")
freeswitch.consoleLog("bogus", "MLC " .. MLC_TAG .. " at bogus\n")
freeswitch.console_log("notice", "MLC " .. MLC_TAG .. " underscore\n")
session:consoleLog("notice", "MLC " .. MLC_TAG .. " session log\n")
freeswitch.msleep(10)
`},
	{name: "transfer", lua: `
session:answer()
mlc("transfer", session:transfer("landing", "XML", "default"))
mlc("ready", session:ready())
mlc("stream", session:streamFile("beep.wav"))
`, drive: func(c *compatCall) { c.waitApp("park", ""); c.hangupCaller() },
		lines: []lineDiff{{diff: "after-transfer", what: "stream", mod: "0", esl: "nil transferred"}}},
	{name: "execute_transfer", lua: `
session:answer()
session:execute("transfer", "landing XML default")
mlc("ready", session:ready())
`, drive: func(c *compatCall) { c.waitApp("park", ""); c.hangupCaller() }},
	{name: "execute", vars: map[string]string{"mlc_in": "abc"}, lua: `
mlc("set", session:execute("set", "mlc_x=${mlc_in}-${destination_number}"))
mlc("x", session:getVariable("mlc_x"))
session:execute("log", "INFO from the log app")
session:execute("export", "mlc_exported=1")
session:execute("info")
mlc("no data", session:execute("answer"))
session:hangup()
`, lines: []lineDiff{{diff: "execute-result", what: "set", mod: "", esl: "true"},
		{diff: "execute-result", what: "no data", mod: "", esl: "true"}}},
	{name: "execute_unknown", lua: `
session:answer()
mlc("unknown", session:execute("mlc_no_such_app", "x"))
mlc("ready", session:ready())
`, lines: []lineDiff{{diff: "after-hangup-results", what: "unknown", mod: "", esl: "nil hangup"}}},
	{name: "hangup_hook", lua: `
function on_hangup(s, how, arg)
  mlc("hook", how, arg, s:ready())
  return "hook_ret"
end
hook_arg = "the arg"
session:setHangupHook("on_hangup", "hook_arg")
session:answer()
session:hangup()
mlc("after hangup", session:ready())
mlc("again", session:ready())
`},
	{name: "hangup_hook_caller", lua: `
function on_hangup(s, how)
  mlc("hook", how)
end
session:setHangupHook("on_hangup")
session:answer()
session:streamFile("tone_stream://%(1000,0,440);loops=-1")
`, drive: func(c *compatCall) { c.waitPlayback(1); c.hangupCaller() }},
	{name: "hangup_hook_transfer", lua: `
function on_hangup(s, how)
  mlc("hook", how)
end
session:setHangupHook("on_hangup")
session:answer()
session:transfer("landing", "XML", "default")
mlc("ready", session:ready())
`, drive: func(c *compatCall) { c.waitApp("park", ""); c.hangupCaller() }},
	{name: "hangup_hook_exit", fails: true, lua: `
function on_hangup(s, how)
  mlc("hook", how)
  return "exit"
end
session:setHangupHook("on_hangup")
session:answer()
session:hangup()
mlc("ready", session:ready())
mlc("not reached")
`},
	{name: "error", fails: true, lua: `
session:answer()
mlc("before")
local t = nil
mlc(t.field)
`, diffs: []string{"error-wording"}},
	{name: "session_more", lua: `
session:answer()
mlc("private", pcall(session.setPrivate, session, "mlc_p", "a string"))
mlc("no private", session:getPrivate("mlc_none"))
local e = freeswitch.Event("CUSTOM", "mlc::data")
session:setEventData(e)
mlc("event data", e:getHeader("Caller-Destination-Number"), e:getHeader("Unique-ID") == session:get_uuid())
session:consoleLog2("notice", "x.lua", "f", 1, "MLC " .. MLC_TAG .. " log2\n")
session:hangupState()
session:waitForAnswer(session)
mlc("xml cdr", pcall(function() return type(session:getXMLCDR()) end))
session:hangup()
`, lines: []lineDiff{{diff: "unsupported-method", what: "xml cdr", mod: "true string",
		esl: "false mlc_session_more.lua:18: session:getXMLCDR is not supported by eslscript: the CDR is built inside FreeSWITCH; " +
			"read the call's variables with getVariable, or use mod_xml_cdr/mod_json_cdr"}}},
	{name: "destroy_main", lua: `
session:answer()
session:destroy()
mlc("ready", session:ready())
`},
	{name: "fs_more", lua: `
local d = freeswitch.DTMF("5")
mlc("dtmf", d.digit, d.duration ~= nil)
local st = freeswitch.Stream()
st:write("ab")
st:write("cd")
mlc("stream", st:get_data())
freeswitch.consoleLog2("notice", "x.lua", "f", 1, "MLC " .. MLC_TAG .. " fs log2\n")
`},
}

// manyArgs is n words "w1 w2 ...": more than mod_lua's 128 argv slots,
// whose last one takes the unsplit rest.
func manyArgs(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = "w" + strconv.Itoa(i+1)
	}
	return strings.Join(w, " ")
}
