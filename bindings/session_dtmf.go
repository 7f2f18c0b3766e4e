package bindings

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// maxDigits is mod_lua's digit buffer limit.
const maxDigits = 127

// pagdVar is the variable play_and_get_digits stores into when the script
// names none.
const pagdVar = "eslscript_pagd_digits"

var digitMethods = map[string]func(*luaSession, *lua.LState) int{
	"getDigits":        (*luaSession).getDigits,
	"playAndGetDigits": (*luaSession).playAndGetDigits,
	"read":             (*luaSession).read,
	"flushDigits":      (*luaSession).flushDigits,
	"waitForDtmf":      (*luaSession).waitForDtmf,
	"waitForEvent":     (*luaSession).waitForEvent,
	"flushEvents":      (*luaSession).flushEvents,
}

func (s *luaSession) hasDigit() bool { return len(s.dtmf) > 0 }

// popDigit takes the oldest queued digit.
func (s *luaSession) popDigit() string {
	d := s.dtmf[0]
	s.dtmf = s.dtmf[1:]
	return d
}

// getDigits implements session:getDigits(max, terminators, timeout[,
// interdigit[, abs_timeout]]) on the host DTMF FIFO: timeout bounds the
// first digit, interdigit (default: timeout) the next ones, abs_timeout
// the whole read; 0 means none. The terminator is consumed, not returned.
func (s *luaSession) getDigits(L *lua.LState) int {
	limit, terms, timeout := min(argInt(L, 2), maxDigits), optStr(L, 3, ""), argInt(L, 4)
	inter, abs := optInt(L, 5, 0), optInt(L, 6, 0)
	if inter <= 0 {
		inter = timeout
	}
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	var b strings.Builder
	deadline := s.after(abs)
	for b.Len() < limit {
		step := timeout
		if b.Len() > 0 {
			step = inter
		}
		err := s.wait(L, waitFor{cond: s.hasDigit, timeout: s.after(step), deadline: deadline, hangup: true})
		if err == errTimeout {
			break
		}
		if err != nil {
			return failure(L, errText(err))
		}
		d := s.popDigit()
		if strings.Contains(terms, d) {
			break
		}
		b.WriteString(d)
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// waitForDtmf implements session:waitForDtmf([timeout_ms]) -> digit |
// nil, "timeout" | nil, "hangup".
func (s *luaSession) waitForDtmf(L *lua.LState) int {
	ms := optInt(L, 2, 0)
	if why := s.usable(L, false); why != "" {
		return failure(L, why)
	}
	if err := s.wait(L, waitFor{cond: s.hasDigit, timeout: s.after(ms), hangup: true}); err != nil {
		return failure(L, errText(err))
	}
	L.Push(lua.LString(s.popDigit()))
	return 1
}

// flushDigits implements session:flushDigits(): "uuid_flush_dtmf" and an
// empty host FIFO.
func (s *luaSession) flushDigits(L *lua.LState) int {
	if why := s.usable(L, false); why != "" {
		return failure(L, why)
	}
	_, why := s.api("uuid_flush_dtmf " + s.uuid)
	s.pump()
	s.dtmf = s.dtmf[:0]
	if why != "" {
		return failure(L, why)
	}
	L.Push(lua.LTrue)
	return 1
}

// playAndGetDigits implements mod_lua's playAndGetDigits(min, max, tries,
// timeout, terminators, prompt, bad_prompt, digits_regex[, var_name[,
// digit_timeout[, transfer_on_failure]]]) with the play_and_get_digits
// app. Digits typed ahead (already in the host FIFO: FreeSWITCH dequeued
// them during an earlier prompt or between applications, so the app would
// never see them) are read on the host as the app would have read them
// (see pagdTypeAhead); the app then runs for the tries left. Digits the
// app dequeues itself never enter the FIFO. Returns the digits, or ""
// when fewer than min.
func (s *luaSession) playAndGetDigits(L *lua.LState) int {
	p := pagdParamsOf(L)
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	for s.hasDigit() && p.tries > 0 {
		digits, done, why := s.pagdTypeAhead(L, p)
		if why != "" {
			return failure(L, why)
		}
		if done {
			L.Push(lua.LString(digits))
			return 1
		}
		if p.tries--; p.tries == 0 {
			return s.pagdFailed(L, p)
		}
	}
	return s.collectWith(L, "play_and_get_digits", p.arg(), p.varName, p.min)
}

// collectWith runs a digit-collecting app (play_and_get_digits, read) with
// a collector (see collector) and pushes the digits it stored in varName,
// or "" when fewer than minD.
func (s *luaSession) collectWith(L *lua.LState, app, arg, varName string, minD int) int {
	s.coll = &collector{app: app}
	ev, why := s.execute(L, app, arg)
	s.coll = nil
	if why != "" {
		return failure(L, why)
	}
	digits := ev.Var(varName)
	if len(digits) < minD {
		digits = ""
	}
	L.Push(lua.LString(digits))
	return 1
}

// pagdParams are playAndGetDigits' arguments.
type pagdParams struct {
	min, max, tries, timeout, digitTimeout int
	terms, prompt, bad, regex, varName     string
	transfer                               string
	named                                  bool // the script named varName
}

// pagdParamsOf reads playAndGetDigits' arguments.
func pagdParamsOf(L *lua.LState) pagdParams {
	p := pagdParams{min: argInt(L, 2), max: argInt(L, 3), tries: argInt(L, 4), timeout: argInt(L, 5),
		terms: optStr(L, 6, ""), prompt: optStr(L, 7, ""), bad: optStr(L, 8, ""), regex: optStr(L, 9, ""),
		varName: optStr(L, 10, ""), digitTimeout: optInt(L, 11, 0), transfer: optStr(L, 12, "")}
	p.named = p.varName != ""
	if !p.named {
		p.varName = pagdVar
	}
	return p
}

// arg builds "<min> <max> <tries> <timeout> <terms> <prompt> <bad> <var>
// <regex> <digit_timeout> ['<transfer>']": the app takes var_name BEFORE
// the regex, unlike mod_lua.
func (p pagdParams) arg() string {
	parts := make([]string, 0, 11)
	for _, n := range []int{p.min, p.max, p.tries, p.timeout} {
		parts = append(parts, strconv.Itoa(n))
	}
	parts = append(parts, quoteAppArg(p.terms), quoteAppArg(p.prompt), quoteAppArg(p.bad),
		quoteAppArg(p.varName), quoteAppArg(p.regex), strconv.Itoa(p.digitTimeout))
	if p.transfer != "" {
		parts = append(parts, quoteAppArg(p.transfer))
	}
	return strings.Join(parts, " ")
}
