package bindings

import (
	"strings"

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
// ready() or session call, and after each blocking one (see
// hookedMethods), as fn(session, "hangup"|"transfer"[, arg]). What it
// returns is stored in the channel variable lua_hangup_hook_return_val;
// "exit" or "die" (any case) raises that word as the error that ends the
// script.
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
	raiseHookExit(L, s.callHook(L))
}

// raiseHookExit raises what a hangup hook returned when it asks to end
// the script ("exit" or "die").
func raiseHookExit(L *lua.LState, ret string) {
	if strings.EqualFold(ret, "exit") || strings.EqualFold(ret, "die") {
		L.Error(lua.LString(ret), 0)
	}
}

// callHook calls a due hangup hook once and returns what it returned as
// a string, stored in lua_hangup_hook_return_val ("" when it did not run
// or returned nil).
func (s *luaSession) callHook(L *lua.LState) string {
	h := &s.hook
	if h.reason == "" || h.ran {
		return ""
	}
	h.ran = true
	fn, ok := L.GetGlobal(h.fn).(*lua.LFunction)
	if !ok {
		s.rt.logger().Warn("bindings: hangup hook is not a function", append(runArgs(s.rt), "hook", h.fn)...)
		return ""
	}
	args := []lua.LValue{s.self, lua.LString(h.reason)}
	if h.arg != "" {
		args = append(args, L.GetGlobal(h.arg))
	}
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, args...); err != nil {
		s.rt.logger().Error("bindings: hangup hook failed", append(runArgs(s.rt), "error", err.Error())...)
		return ""
	}
	ret := lua.LVAsString(L.Get(-1))
	L.Pop(1)
	if ret != "" {
		if _, why := s.api("uuid_setvar " + s.uuid + " lua_hangup_hook_return_val " + quoteArg(ret)); why != "" {
			s.rt.logger().Debug("bindings: hangup hook result not stored", append(runArgs(s.rt), "error", why)...)
		}
	}
	return ret
}

// hookedMethods are the session methods after which a due hangup hook
// runs (mod_lua's end_allow_threads: its blocking calls).
var hookedMethods = map[string]bool{
	"getDigits": true, "playAndGetDigits": true, "read": true, "collectDigits": true,
	"recordFile": true, "sleep": true, "speak": true, "streamFile": true, "transfer": true,
	"execute": true, "hangup": true, "say": true, "sayPhrase": true,
}

// hooked adapts a blocking session method: once it returns, a hangup hook
// that became due runs (its results stay on top of the stack).
func hooked(fn func(s *luaSession, L *lua.LState) int) lua.LGFunction {
	return func(L *lua.LState) int {
		s := checkSession(L)
		n := fn(s, L)
		s.refresh(L)
		return n
	}
}
