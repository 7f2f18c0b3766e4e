package bindings

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// readVar is the variable the read app stores into for session:read.
const readVar = "eslscript_read_digits"

// read implements mod_lua's session:read(min, max, prompt, timeout_ms,
// terminators[, digit_timeout_ms]) -> digits ("" when nothing valid was
// read). Like mod_lua it clamps min, max and timeout to at least 1; it runs
// FreeSWITCH's read app ("<min> <max> <prompt> <var> <timeout> <terms>
// <digit_timeout>") and takes the digits from the app's variable. Digits
// typed ahead are read on the host as for playAndGetDigits.
func (s *luaSession) read(L *lua.LState) int {
	minD, maxD := max(argInt(L, 2), 1), max(argInt(L, 3), 1)
	prompt, timeout := optStr(L, 4, ""), max(argInt(L, 5), 1)
	terms, digitTimeout := optStr(L, 6, ""), optInt(L, 7, 0)
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	if s.hasDigit() {
		digits, _, why := s.readTypeAhead(L, digitRead{max: maxD, timeout: timeout, digitTimeout: digitTimeout, terms: terms}, minD)
		if why != "" {
			return failure(L, why)
		}
		if len(digits) < minD {
			digits = ""
		}
		L.Push(lua.LString(digits))
		return 1
	}
	arg := strings.Join([]string{strconv.Itoa(minD), strconv.Itoa(maxD), quoteAppArg(prompt), readVar,
		strconv.Itoa(timeout), quoteAppArg(terms), strconv.Itoa(digitTimeout)}, " ")
	return s.collectWith(L, "read", arg, readVar, minD)
}
