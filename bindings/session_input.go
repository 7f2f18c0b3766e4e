package bindings

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// defaultDTMFDuration is FreeSWITCH's default DTMF duration in samples,
// reported for digits whose DTMF event is no longer known (type-ahead).
const defaultDTMFDuration = 2000

// inputCallback is mod_lua's setInputCallback state: the names of a global
// function and of a global holding its 4th argument ("" for none). busy is
// set while a media call runs it, so that media calls made from inside the
// callback play without one (no re-entry).
type inputCallback struct {
	fn, arg string
	busy    bool
}

// dtmfInput is one digit handed to the input callback, or (ev set) one
// event queued to the session.
type dtmfInput struct {
	digit    string
	duration int
	ev       *esl.Event
}

var inputMethods = map[string]func(*luaSession, *lua.LState) int{
	"setInputCallback":   (*luaSession).setInputCallback,
	"unsetInputCallback": (*luaSession).unsetInputCallback,
	"collectDigits":      (*luaSession).collectDigits,
}

// setInputCallback implements session:setInputCallback(fn_name[,
// arg_name]): both are global NAMES, looked up at each call, as in
// mod_lua. The callback runs as fn(session, "dtmf", {digit=, duration=}[,
// value of arg_name]) for each digit during streamFile, recordFile, sleep,
// say, sayPhrase, speak and collectDigits, and as fn(session, "event",
// event[, arg]) for each DETECTED_SPEECH of the call meanwhile and, when
// the call has eslscript_divert_events=true, each event queued to the
// session (see queuedEvent and divertEvents).
func (s *luaSession) setInputCallback(L *lua.LState) int {
	s.input = &inputCallback{fn: L.CheckString(2), arg: optStr(L, 3, "")}
	s.divertEvents()
	return 0
}

// divertVar is the channel variable that lets input callbacks of a call
// script receive the events queued to its session (sendevent with the
// call's Unique-ID, chat, DETECTED_SPEECH without fire_asr_events), as
// under mod_lua: setInputCallback then sends divert_events on. It is an
// opt-in because divert_events also makes FreeSWITCH queue the call's DTMF
// events to the socket instead of firing them: consumers stop seeing them.
const divertVar = "eslscript_divert_events"

// divertEvents sends divert_events on, once, on the script's own call's
// socket (a leg's connection controls no session), when the call asks for
// it with divertVar.
func (s *luaSession) divertEvents() {
	if s.diverted || s.rt.scope.esl == nil || s.uuid == "" || s.uuid != s.rt.scope.call {
		return
	}
	if data := s.call.ChannelData(); data == nil || !isTrue(data.Var(divertVar)) {
		return
	}
	s.diverted = true
	if _, err := s.rt.scope.esl.Send(s.rt.ctx(), esl.DivertEvents{On: true}); err != nil {
		s.rt.logger().Debug("bindings: divert_events refused", append(runArgs(s.rt), "error", errText(err))...)
	}
}

// unsetInputCallback implements session:unsetInputCallback().
func (s *luaSession) unsetInputCallback(L *lua.LState) int {
	s.input = nil
	return 0
}

// inputCB returns the session's input callback, nil when none is set.
func (s *luaSession) inputCB(*lua.LState) *inputCallback { return s.input }

// callInput runs the callback for one digit and returns its result as
// lua_tostring reads it ("" for nil, booleans and tables).
func (s *luaSession) callInput(L *lua.LState, cb *inputCallback, d dtmfInput) (string, error) {
	fn, ok := L.GetGlobal(cb.fn).(*lua.LFunction)
	if !ok {
		return "", fmt.Errorf("bindings: input callback %q is not a function", cb.fn)
	}
	args := []lua.LValue{s.self, lua.LString("event"), lua.LNil}
	if d.ev != nil {
		args[2] = pushEvent(L, d.ev)
	} else {
		t := L.CreateTable(0, 2)
		t.RawSetString("digit", lua.LString(d.digit))
		t.RawSetString("duration", lua.LNumber(d.duration))
		args[1], args[2] = lua.LString("dtmf"), t
	}
	if cb.arg != "" {
		args = append(args, L.GetGlobal(cb.arg))
	}
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, args...); err != nil {
		return "", err
	}
	ret := L.Get(-1)
	L.Pop(1)
	switch ret.Type() {
	case lua.LTString, lua.LTNumber:
		return ret.String(), nil
	}
	return "", nil
}

// inputAction is what a callback result asks of the media call.
type inputAction int

const (
	inputContinue inputAction = iota
	inputFileOp               // uuid_fileman <cmd>, continue
	inputTruncate             // uuid_fileman truncate, then stop
	inputStop                 // stop the media call
)

// classifyInput maps a callback result like switch_ivr_process_fh: file
// commands apply only while a file is open (streamFile, recordFile);
// "", "true" and "undefined" continue; anything else stops.
func classifyInput(ret string, file bool) inputAction {
	lower := strings.ToLower(ret)
	switch {
	case ret == "":
		return inputContinue
	case file && isFileOp(lower):
		return inputFileOp
	case file && lower == "truncate":
		return inputTruncate
	case ret == "true" || ret == "undefined":
		return inputContinue
	}
	return inputStop
}

// isFileOp reports a file handle command that keeps the file playing.
func isFileOp(cmd string) bool {
	for _, p := range []string{"speed", "volume", "seek"} {
		if strings.HasPrefix(cmd, p) {
			return true
		}
	}
	return cmd == "pause" || cmd == "restart"
}

// inputDigits returns the digits of in (events are left out).
func inputDigits(in []dtmfInput) []string {
	out := make([]string, 0, len(in))
	for _, d := range in {
		if d.ev == nil {
			out = append(out, d.digit)
		}
	}
	return out
}

// eventInput reads a DTMF event as callback input.
func eventInput(digit, duration string) dtmfInput {
	n, err := strconv.Atoi(duration)
	if err != nil {
		n = defaultDTMFDuration
	}
	return dtmfInput{digit: digit, duration: n}
}
