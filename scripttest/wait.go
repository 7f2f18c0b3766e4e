package scripttest

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// luaWait implements sim.wait(cond[, what]): call cond() until it returns
// a true value, while the scripts run (virtual time does not move). It is
// how a test waits for something asynchronous that no helper waits for,
// such as a bgapi callback's effect: sim.wait(function() return
// #sim.fired() > 0 end, "the callback's event"). The test's time budget
// bounds the wait; it fails with what in its message.
func (r *fileRunner) luaWait(L *lua.LState) int {
	cond := L.CheckFunction(1)
	what := L.OptString(2, "the condition of sim.wait")
	w := r.cur(L)
	var cerr error
	err := w.drive(what, waitOnly, func() bool {
		if cerr != nil {
			return true
		}
		if cerr = L.CallByParam(lua.P{Fn: cond, NRet: 1, Protect: true}); cerr != nil {
			return true
		}
		ok := lua.LVAsBool(L.Get(-1))
		L.Pop(1)
		return ok
	})
	if cerr != nil && w.ctx.Err() != nil { // the budget ended while cond ran
		err, cerr = fmt.Errorf("%w while waiting for %s", errBudget, what), nil
	}
	if cerr != nil {
		L.RaiseError("sim.wait: %v", cerr)
	}
	raiseIf(L, err)
	return 0
}
