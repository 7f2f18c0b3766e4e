package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The rest of mod_lua's session methods: those ESL can do, no-ops for
// mod_lua's internals, and errors naming the alternative for those it
// cannot.

var moreMethods = map[string]func(*luaSession, *lua.LState) int{
	"waitForAnswer":           (*luaSession).waitForAnswer,
	"setEventData":            (*luaSession).setEventData,
	"detectSpeech":            (*luaSession).detectSpeech,
	"playAndDetectSpeech":     (*luaSession).playAndDetectSpeech,
	"setPrivate":              (*luaSession).setPrivate,
	"getPrivate":              (*luaSession).getPrivate,
	"process_callback_result": (*luaSession).processCallbackResult,
	"consoleLog2":             (*luaSession).consoleLog2,
	"hangupState":             noop,
	"setDTMFCallback":         noop,
	"setLUA":                  noop,
	"begin_allow_threads":     noop,
	"end_allow_threads":       refreshMethod,
	"check_hangup_hook":       refreshMethod,
}

// sessionUnsupported are mod_lua's session methods with no ESL path, and
// what to use instead.
var sessionUnsupported = map[string]string{
	"sendEvent": "ESL cannot hand an event to the call's endpoint; send SIP INFO with session:execute(\"send_info\", ...), " +
		"a message with freeswitch.API():execute(\"uuid_send_message\", ...), or fire the event with event:fire()",
	"getXMLCDR":  "the CDR is built inside FreeSWITCH; read the call's variables with getVariable, or use mod_xml_cdr/mod_json_cdr",
	"insertFile": "the files are on the FreeSWITCH host; record and play them with session:execute(\"record_session\"/\"playback\", ...)",
	"print":      "real-time text has no ESL path; send a message with freeswitch.API():execute(\"uuid_send_message\", ...)",
	"originate":  "originate with freeswitch.Session(dial_string[, a_leg]), or on an empty leg: freeswitch.Session():originate(...)",
}

// unsupportedMethod returns a method raising the not-supported error.
func unsupportedMethod(name, why string) func(*luaSession, *lua.LState) int {
	return func(_ *luaSession, L *lua.LState) int {
		L.RaiseError("session:%s is not supported by eslscript: %s", name, why)
		return 0
	}
}

func noop(*luaSession, *lua.LState) int { return 0 }

func refreshMethod(s *luaSession, L *lua.LState) int {
	s.refresh(L)
	return 0
}

// waitForAnswer implements session:waitForAnswer(caller): it waits until
// this session's call is answered or down.
func (s *luaSession) waitForAnswer(L *lua.LState) int {
	s.refresh(L)
	_ = s.wait(L, waitFor{cond: func() bool { return s.answered }, hangup: true})
	return 0
}

// setEventData implements session:setEventData(event): the call's
// Channel-*, Caller-* and variable_* headers (from its last known state)
// are added to a freeswitch.Event.
func (s *luaSession) setEventData(L *lua.LState) int {
	e, ok := L.CheckUserData(2).Value.(*fsEvent)
	if !ok {
		L.ArgError(2, "freeswitch.Event expected")
	}
	if s.refresh(L); s.vars == nil {
		return 0
	}
	s.vars.Range(func(name, value string) bool {
		for _, p := range []string{"Channel-", "Caller-", "variable_", "Unique-ID", "Call-Direction", "Answer-State"} {
			if strings.HasPrefix(name, p) {
				e.add(name, value)
				break
			}
		}
		return true
	})
	return 0
}

// detectSpeech implements session:detectSpeech(a0[, a1[, a2[, a3]]]) with
// the detect_speech application. The call gets fire_asr_events=true, so
// that its DETECTED_SPEECH events are fired and reach the input callback
// (FreeSWITCH queues them to the session otherwise, where ESL cannot see
// them).
func (s *luaSession) detectSpeech(L *lua.LState) int {
	var words []string
	for i := 2; i <= min(L.GetTop(), 5); i++ {
		if w := optStr(L, i, ""); w != "" {
			words = append(words, w)
		}
	}
	s.menuSetVar("fire_asr_events", "true")
	return s.runApp(L, "detect_speech", strings.Join(words, " "), yes)
}

// playAndDetectSpeech implements session:playAndDetectSpeech(file,
// engine, grammar) -> the result (detect_speech_result, "" when none)
// with the play_and_detect_speech application.
func (s *luaSession) playAndDetectSpeech(L *lua.LState) int {
	file, engine, grammar := L.CheckString(2), L.CheckString(3), L.CheckString(4)
	ev, why := s.execute(L, "play_and_detect_speech", file+" detect:"+engine+" "+grammar)
	if why != "" {
		return failure(L, why)
	}
	L.Push(lua.LString(ev.Var("detect_speech_result")))
	return 1
}

// setPrivate implements session:setPrivate(name, value): a value kept
// with the session object. mod_lua keeps a C pointer on the channel, so
// its SWIG wrapper takes only a userdata; so does this.
func (s *luaSession) setPrivate(L *lua.LState) int {
	if v := L.Get(3); v.Type() != lua.LTUserData { // SWIG's error, without a position
		L.Error(lua.LString("Error in CoreSession::setPrivate (arg 3), expected 'void *' got '"+v.Type().String()+"'"), 0)
	}
	if s.private == nil {
		s.private = map[string]lua.LValue{}
	}
	s.private[L.CheckString(2)] = L.Get(3)
	return 0
}

// getPrivate implements session:getPrivate(name).
func (s *luaSession) getPrivate(L *lua.LState) int {
	if v, ok := s.private[L.CheckString(2)]; ok {
		L.Push(v)
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// processCallbackResult implements session:process_callback_result(cmd):
// a file command (speed, volume, pause, seek...) for the playing file,
// with uuid_fileman.
func (s *luaSession) processCallbackResult(L *lua.LState) int {
	return s.apiResult(L, "uuid_fileman "+s.uuid+" "+L.CheckString(2), false)
}

// consoleLog2 implements session:consoleLog2(level, file, func, line,
// msg): consoleLog, the source position left out.
func (s *luaSession) consoleLog2(L *lua.LState) int { return s.logAt(L, 6) }
