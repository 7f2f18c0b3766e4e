package bindings

import (
	lua "github.com/yuin/gopher-lua"
)

// hangupHook is mod_lua's setHangupHook state: the names of a global
// function and of a global holding its extra argument, and the pending
// reason ("hangup" or "transfer") once triggered. It runs once.
type hangupHook struct {
	fn, arg string
	reason  string
	ran     bool
}

// trigger records why the hook is due (the first reason wins).
func (h *hangupHook) trigger(reason string) {
	if h.fn != "" && h.reason == "" && !h.ran {
		h.reason = reason
	}
}

var hookMethods = map[string]func(*luaSession, *lua.LState) int{
	"setHangupHook": (*luaSession).setHangupHook,
}

// setHangupHook implements session:setHangupHook(fn_name[, arg_name]):
// like mod_lua, the hook is not called from the event but at the next
// ready() or session call, as fn(session, "hangup"|"transfer"[, arg]).
// A return of "exit" or "die" raises an error that ends the script.
func (s *luaSession) setHangupHook(L *lua.LState) int {
	s.hook = hangupHook{fn: L.CheckString(2), arg: optStr(L, 3, "")}
	switch {
	case s.down:
		s.hook.trigger("hangup")
	case s.transferred:
		s.hook.trigger("transfer")
	}
	return 0
}

// runHook calls a due hangup hook once.
func (s *luaSession) runHook(L *lua.LState) {
	h := &s.hook
	if h.reason == "" || h.ran {
		return
	}
	h.ran = true
	fn, ok := L.GetGlobal(h.fn).(*lua.LFunction)
	if !ok {
		s.env.logger().Warn("bindings: hangup hook is not a function", append(envArgs(s.env), "hook", h.fn)...)
		return
	}
	args := []lua.LValue{s.self, lua.LString(h.reason)}
	if h.arg != "" {
		args = append(args, L.GetGlobal(h.arg))
	}
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, args...); err != nil {
		s.env.logger().Error("bindings: hangup hook failed", append(envArgs(s.env), "error", err.Error())...)
		return
	}
	ret := L.Get(-1)
	L.Pop(1)
	if s := lua.LVAsString(ret); s == "exit" || s == "die" {
		L.RaiseError("bindings: hangup hook returned %q", s)
	}
}
