package bindings

import (
	lua "github.com/yuin/gopher-lua"
)

// collectDigits implements session:collectDigits([digit_timeout,]
// abs_timeout) (ms, 0 = none) as switch_ivr_collect_digits_callback does:
// without an input callback it returns at once; otherwise it hands each
// digit to the callback until it returns a stop value, no digit came for
// digit_timeout, abs_timeout passed, or the call hangs up. Like mod_lua it
// returns 0; nil, "hangup" when the call is (or goes) down.
func (s *luaSession) collectDigits(L *lua.LState) int {
	digitMs, absMs := 0, argInt(L, 2)
	if L.GetTop() >= 3 {
		digitMs, absMs = argInt(L, 2), argInt(L, 3)
	}
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	cb := s.inputCB(L)
	if cb == nil || cb.busy {
		L.Push(lua.LNumber(0))
		return 1
	}
	cb.busy = true
	defer func() { cb.busy = false }()
	if err := s.collectInput(L, &mediaCall{cb: cb, phase: collectRunning}, digitMs, absMs); err != nil && err != errTimeout {
		return failure(L, errText(err))
	}
	L.Push(lua.LNumber(0))
	return 1
}

// hasInput reports a digit or a queued event for an input callback.
func (s *luaSession) hasInput() bool { return s.hasDigit() || len(s.queued) > 0 }

// collectInput feeds the callback from the host FIFO until it stops or a
// timeout; the digit timeout restarts after each digit.
func (s *luaSession) collectInput(L *lua.LState, m *mediaCall, digitMs, absMs int) error {
	deadline := s.after(absMs)
	for {
		s.feedInput(L, m)
		if !m.active() {
			return nil
		}
		err := s.wait(L, waitFor{cond: s.hasInput, timeout: s.after(digitMs), deadline: deadline, hangup: true})
		if err != nil {
			return err
		}
	}
}
