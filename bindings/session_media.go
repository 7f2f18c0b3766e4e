package bindings

import (
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Scoped-variable prefixes that make FreeSWITCH's apps behave like
// mod_lua's C calls: no "*" terminator, and a sleep that neither breaks on
// nor swallows DTMF (the digits come back as events into the host FIFO).
const (
	scopeNoTerminators = "%[playback_terminators=none]"
	scopeSleep         = "%[sleep_eat_digits=true,playback_terminators=none]"
)

var mediaMethods = map[string]func(*luaSession, *lua.LState) int{
	"answer":         (*luaSession).answer,
	"preAnswer":      (*luaSession).preAnswer,
	"execute":        (*luaSession).luaExecute,
	"streamFile":     (*luaSession).streamFile,
	"recordFile":     (*luaSession).recordFile,
	"sleep":          (*luaSession).sleep,
	"say":            (*luaSession).say,
	"sayPhrase":      (*luaSession).sayPhrase,
	"speak":          (*luaSession).speak,
	"set_tts_params": (*luaSession).setTTS,
	"set_tts_parms":  (*luaSession).setTTS,
}

// runApp executes app and pushes okValue(completion) or nil, err.
func (s *luaSession) runApp(L *lua.LState, app, arg string, okValue func(*esl.Event) lua.LValue) int {
	ev, why := s.execute(L, app, arg)
	if why != "" {
		return failure(L, why)
	}
	L.Push(okValue(ev))
	return 1
}

// one is mod_lua's int success result (note: 0 is truthy in Lua too).
func one(*esl.Event) lua.LValue { return lua.LNumber(1) }

func yes(*esl.Event) lua.LValue { return lua.LTrue }

// playResult is 1, or 0 when playback reports a missing or bad file.
func playResult(ev *esl.Event) lua.LValue {
	switch ev.Get("Application-Response") {
	case "FILE NOT FOUND", "PLAYBACK ERROR":
		return lua.LNumber(0)
	}
	return lua.LNumber(1)
}

// answer implements session:answer() -> 1 | nil, err.
func (s *luaSession) answer(L *lua.LState) int { return s.runApp(L, "answer", "", one) }

// preAnswer implements session:preAnswer() -> 1 | nil, err.
func (s *luaSession) preAnswer(L *lua.LState) int { return s.runApp(L, "pre_answer", "", one) }

// luaExecute implements session:execute(app[, data]) -> true | nil, err
// (mod_lua returns nothing). Data is expanded by FreeSWITCH (${var}).
// Digits the application dequeues while it runs are its own, as under
// mod_lua (a playback swallows what the caller types meanwhile): they do
// not reach the next getDigits. After the transfer application ready() is
// false, as after session:transfer.
func (s *luaSession) luaExecute(L *lua.LState) int {
	app := L.CheckString(2)
	s.coll = &collector{app: app, keepFIFO: true}
	n := s.runApp(L, app, optStr(L, 3, ""), yes)
	s.coll = nil
	if strings.EqualFold(app, "transfer") && L.Get(-1) == lua.LTrue {
		s.markTransferred()
	}
	return n
}

// streamFile implements session:streamFile(file[, start_sample]).
func (s *luaSession) streamFile(L *lua.LState) int {
	file, start := L.CheckString(2), optInt(L, 3, 0)
	arg := scopeNoTerminators + file
	if start > 0 {
		arg += "@@" + strconv.Itoa(start)
	}
	return s.runMedia(L, "playback", arg, playResult, true)
}

// recordFile implements session:recordFile(file[, time_limit_secs[,
// silence_threshold[, silence_hits]]]). Note: FreeSWITCH's record app
// hangs the call up if the recording cannot be opened.
func (s *luaSession) recordFile(L *lua.LState) int {
	file := L.CheckString(2)
	nums := []int{optInt(L, 3, 0), optInt(L, 4, 0), optInt(L, 5, 0)}
	arg := scopeNoTerminators + appArgIfNeeded(file)
	for _, n := range nums {
		arg += " " + strconv.Itoa(n)
	}
	return s.runMedia(L, "record", arg, one, true)
}

// sleep implements session:sleep(ms[, sync]): without an input callback,
// digits typed meanwhile stay queued for the next getDigits.
func (s *luaSession) sleep(L *lua.LState) int {
	ms := argInt(L, 2)
	return s.runMedia(L, "sleep", scopeSleep+strconv.Itoa(max(ms, 0)), one, false)
}

// say implements session:say(text, module, type, method[, gender]) with
// the say app's own order: "<module> <type> <method> [<gender>] '<text>'".
func (s *luaSession) say(L *lua.LState) int {
	text, module, typ, meth := L.CheckString(2), L.CheckString(3), L.CheckString(4), L.CheckString(5)
	arg := joinWords(module, typ, meth, optStr(L, 6, "")) + " " + quoteAppArg(text)
	return s.runMedia(L, "say", arg, yes, false)
}

// sayPhrase implements session:sayPhrase(name[, data[, lang]]).
func (s *luaSession) sayPhrase(L *lua.LState) int {
	name, data, lang := L.CheckString(2), optStr(L, 3, ""), optStr(L, 4, "")
	arg := name
	if data != "" {
		arg += "," + data
	}
	if lang != "" {
		arg = "%[language=" + lang + "]" + arg
	}
	return s.runMedia(L, "phrase", arg, yes, false)
}

// setTTS implements session:set_tts_params(engine, voice).
func (s *luaSession) setTTS(L *lua.LState) int {
	s.tts = [2]string{optStr(L, 2, ""), optStr(L, 3, "")}
	return 0
}

// speak implements session:speak(text) with the engine and voice of
// set_tts_params.
func (s *luaSession) speak(L *lua.LState) int {
	text := L.CheckString(2)
	if s.tts[0] == "" {
		return failure(L, "bindings: session:speak: call set_tts_params first")
	}
	return s.runMedia(L, "speak", s.tts[0]+"|"+s.tts[1]+"|"+text, one, false)
}

// quoteArg single-quotes an argument for FreeSWITCH's
// switch_separate_string, escaping ' and \ with a backslash.
func quoteArg(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

// quoteAppArg quotes an argument of a dialplan application. FreeSWITCH
// expands application data before splitting it: expansion turns "\\" into
// "\" and deletes "\'" outright, so both escapes are doubled here to reach
// switch_separate_string intact.
func quoteAppArg(v string) string {
	r := strings.NewReplacer(`\`, `\\\\`, `'`, `\\'`)
	return "'" + r.Replace(v) + "'"
}

// appArgIfNeeded is quoteAppArg for values that need quoting only.
func appArgIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \t'\"\\") {
		return quoteAppArg(v)
	}
	return v
}

// quoteIfNeeded quotes only empty values and values with blanks, quotes
// or backslashes.
func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \t'\"\\") {
		return quoteArg(v)
	}
	return v
}
