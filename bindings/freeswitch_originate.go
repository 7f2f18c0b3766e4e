package bindings

import (
	lua "github.com/yuin/gopher-lua"
)

// legOriginate implements sess:originate(a_leg, dest, timeout_s) on an
// empty leg made by freeswitch.Session(): dest is originated as by
// freeswitch.Session(dest, a_leg) (with a_leg's caller id), within
// timeout_s seconds (default 60), and the object becomes that leg. Like
// mod_lua it returns 0 on success and 1 on failure; hangupCause() then
// gives the cause. Calling it on a leg that already is a call raises.
func legOriginate(L *lua.LState) int {
	ud := L.CheckUserData(1)
	ls := checkSession(L)
	dest := L.CheckString(3)
	timeout := L.OptInt(4, defaultOriginateTimeout)
	set := legSetOf(L)
	if set == nil || set.dialer == nil {
		L.RaiseError("session:originate is not supported by eslscript here: call legs are only available to call scripts")
	}
	if ls.uuid != "" {
		L.RaiseError("session:originate: this session is already call %s", ls.uuid)
	}
	if timeout <= 0 {
		timeout = defaultOriginateTimeout
	}
	made := set.originateWithin(L, ls.rt, dest, callerIDOf(L.Get(2)), timeout)
	tellCaller(L, L.Get(2), made)
	nls := made.(*lua.LUserData).Value.(*luaSession)
	set.forget(ls)
	nls.self, ud.Value = ud, nls
	if nls.uuid == "" {
		L.Push(lua.LNumber(1))
	} else {
		L.Push(lua.LNumber(0))
	}
	return 1
}
