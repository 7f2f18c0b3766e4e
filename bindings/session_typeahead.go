package bindings

import (
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Digits typed ahead of a digit-collecting call.
//
// FreeSWITCH dequeues every DTMF digit it reads, firing its DTMF event:
// an outbound socket's park does so between applications, and a playback
// during its prompt. So digits a caller types ahead of playAndGetDigits
// or read are in the host FIFO, not in FreeSWITCH's queue where the
// play_and_get_digits and read apps look. Rather than queue them on the
// channel again (FreeSWITCH would fire their DTMF events a second time,
// log them twice in the CDR and hand them to DTMF hooks twice), the host
// reads them as the app would have: under mod_lua they would still be
// queued, so the first one cuts the prompt short at once and the read
// goes on with the rest and the digits typed meanwhile (see
// readTypeAhead). The app runs only for the tries left after that.

// digitRead is one read of digits, as FreeSWITCH's switch_ivr_read does it.
type digitRead struct {
	max, timeout, digitTimeout int // ms; digitTimeout 0 means timeout
	terms                      string
}

// readTypeAhead does one read that starts with the type-ahead in the host
// FIFO (not empty): the first digit is taken as is (it would have broken
// the prompt), then digits are read until max of them, a terminator
// (consumed, not returned; term is it) or digitTimeout without one. The
// failure text is "hangup" when the call goes down meanwhile. Like
// switch_ivr_read it sets read_result (success, timeout, or failure when
// fewer than min digits came) and read_terminator_used.
func (s *luaSession) readTypeAhead(L *lua.LState, r digitRead, min int) (digits string, term bool, why string) {
	var b strings.Builder
	b.WriteString(s.popDigit())
	inter := r.digitTimeout
	if inter <= 0 {
		inter = r.timeout
	}
	result := "success"
	for b.Len() < r.max {
		err := s.wait(L, waitFor{cond: s.hasDigit, timeout: s.after(inter), hangup: true})
		if err == errTimeout {
			result = "timeout"
			break
		}
		if err != nil {
			return "", false, errText(err)
		}
		d := s.popDigit()
		if strings.Contains(r.terms, d) {
			s.setDigitVar("read_terminator_used", d)
			term = true
			result = "success"
			break
		}
		b.WriteString(d)
	}
	if b.Len() < min {
		result = "failure"
	}
	s.setDigitVar("read_result", result)
	return b.String(), term, ""
}

// pagdTypeAhead is one try of playAndGetDigits read from the type-ahead,
// judged as switch_play_and_get_digits judges its tries: done with the
// digits when there are at least min of them and they match the regex
// (the first one counts even if it is a terminator, as when it breaks the
// app's prompt); otherwise, after setting
// var_name_invalid to digits that did not match, it plays the bad-input
// prompt and reports a failed try.
func (s *luaSession) pagdTypeAhead(L *lua.LState, p pagdParams) (digits string, done bool, why string) {
	digits, _, why = s.readTypeAhead(L, digitRead{max: p.max, timeout: p.timeout, digitTimeout: p.digitTimeout, terms: p.terms}, p.min)
	if why != "" {
		return "", false, why
	}
	switch n := len(digits); {
	case n >= p.min && s.digitsMatch(digits, p.regex):
		if p.named {
			s.setDigitVar(p.varName, digits)
		}
		return digits, true, ""
	case n >= p.min && p.named:
		s.setDigitVar(p.varName+"_invalid", digits)
	}
	if p.bad != "" {
		if _, why := s.execute(L, "playback", scopeNoTerminators+p.bad); why == errTextHangup {
			return "", false, why
		}
	}
	return "", false, ""
}

// pagdFailed ends a playAndGetDigits whose tries were all used on the
// host: transfer_on_failure as the app does it, then "".
func (s *luaSession) pagdFailed(L *lua.LState, p pagdParams) int {
	if p.transfer != "" {
		if _, why := s.api("uuid_transfer " + s.uuid + " " + p.transfer); why == "" {
			s.markTransferred()
		}
	}
	L.Push(lua.LString(""))
	return 1
}

// digitsMatch reports whether digits match the digit regex (any when it
// is empty), anywhere in them as FreeSWITCH's PCRE match does; a pattern
// Go's regexp cannot compile is matched by FreeSWITCH ("api regex").
func (s *luaSession) digitsMatch(digits, regex string) bool {
	if regex == "" {
		return true
	}
	if re, err := regexp.Compile(regex); err == nil {
		return re.MatchString(digits)
	}
	esc := strings.NewReplacer(`\`, `\\`, `'`, `\'`, `|`, `\|`).Replace(regex)
	out, why := s.api("regex " + digits + "|" + esc)
	return why == "" && strings.TrimSpace(out) == "true"
}

// setDigitVar sets a variable the app would have set (a failure is
// logged: the digits are still returned).
func (s *luaSession) setDigitVar(name, value string) {
	if _, why := s.api("uuid_setvar " + s.uuid + " " + quoteIfNeeded(name) + " " + quoteArg(value)); why != "" {
		s.rt.logger().Warn("bindings: setting the digits variable failed", append(runArgs(s.rt), "var", name, "error", why)...)
	}
}
