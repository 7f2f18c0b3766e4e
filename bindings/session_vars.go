package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

var varMethods = map[string]func(*luaSession, *lua.LState) int{
	"getVariable": (*luaSession).getVariable,
	"setVariable": (*luaSession).setVariable,
	"hangup":      (*luaSession).hangup,
	"transfer":    (*luaSession).transfer,
}

// getVariable implements session:getVariable(name) -> value | nil with
// "api uuid_getvar" (FreeSWITCH's full lookup: channel variables, caller
// profile fields, globals); "_undef_" is nil, and an empty value (ESL
// answers "-ERR no reply" for an empty reply) is "", as under mod_lua. After
// the hangup it answers from the call's last known variables (see
// lastVar) and fails with nil, "hangup" when the name is not there.
func (s *luaSession) getVariable(L *lua.LState) int {
	name := L.CheckString(2)
	if why := s.usable(L, false); why != "" {
		return s.lastVar(L, name, why)
	}
	out, why := s.api("uuid_getvar " + s.uuid + " " + name)
	switch why {
	case errTextHangup:
		return s.lastVar(L, name, why)
	case errTextNoReply:
		out, why = "", ""
	}
	if why != "" {
		return failure(L, why)
	}
	if out = strings.TrimRight(out, "\n"); out == "_undef_" {
		L.Push(lua.LNil)
	} else {
		L.Push(lua.LString(out))
	}
	return 1
}

// lastVar answers getVariable from the latest event of the call that
// carried its variables (CHANNEL_HANGUP_COMPLETE has them all), looking
// names up as FreeSWITCH does: the channel variable, else the caller
// profile field of that name (caller_id_number is the header
// Caller-Caller-ID-Number).
func (s *luaSession) lastVar(L *lua.LState, name, why string) int {
	if s.vars != nil {
		if v, ok := s.vars.Lookup("variable_" + name); ok {
			L.Push(lua.LString(v))
			return 1
		}
		if h := profileHeaders[strings.ToLower(name)]; h != "" {
			if v, ok := s.vars.Lookup(h); ok {
				L.Push(lua.LString(v))
				return 1
			}
		}
	}
	return failure(L, why)
}

// profileHeaders maps the caller profile fields switch_channel_get_variable
// falls back to (switch_caller_get_field_by_name) to their event headers.
var profileHeaders = map[string]string{
	"dialplan": "Caller-Dialplan", "username": "Caller-Username",
	"caller_id_name": "Caller-Caller-ID-Name", "caller_id_number": "Caller-Caller-ID-Number",
	"orig_caller_id_name": "Caller-Orig-Caller-ID-Name", "orig_caller_id_number": "Caller-Orig-Caller-ID-Number",
	"callee_id_name": "Caller-Callee-ID-Name", "callee_id_number": "Caller-Callee-ID-Number",
	"ani": "Caller-ANI", "aniii": "Caller-ANI-II", "network_addr": "Caller-Network-Addr",
	"rdnis": "Caller-RDNIS", "destination_number": "Caller-Destination-Number", "uuid": "Caller-Unique-ID",
	"source": "Caller-Source", "transfer_source": "Caller-Transfer-Source", "context": "Caller-Context",
	"chan_name": "Caller-Channel-Name", "profile_index": "Caller-Profile-Index",
}

// setVariable implements session:setVariable(name, value) with "api
// uuid_setvar": no ${} expansion, the value single-quoted; a nil value
// unsets the variable. A value with a line break, which an api command
// line cannot carry, is set with the set application instead (see
// setMultiline).
func (s *luaSession) setVariable(L *lua.LState) int {
	name := L.CheckString(2)
	cmd := "uuid_setvar " + s.uuid + " " + quoteIfNeeded(name)
	if L.Get(3) != lua.LNil {
		value := L.CheckString(3)
		if strings.ContainsAny(value, "\r\n") {
			return s.setMultiline(L, name, value)
		}
		cmd += " " + quoteArg(value)
	}
	return s.apiResult(L, cmd, false)
}

// setMultiline sets a value with line breaks with "execute set", whose
// argument travels in the sendmsg's body. FreeSWITCH expands the
// argument of set (${...}, \ escapes) where uuid_setvar and mod_lua do
// not, so a value that also holds $ or \, or a name that cannot precede
// set's "=" (one holding "="), fails with nil, err rather than being
// stored altered.
func (s *luaSession) setMultiline(L *lua.LState, name, value string) int {
	if strings.ContainsAny(value, "$\\") || name == "" || strings.ContainsAny(name, "=\r\n") {
		return failure(L, "bindings: session:setVariable: a value with a line break cannot also hold $ or \\, "+
			"nor its name a = (FreeSWITCH's set would alter it)")
	}
	return s.runApp(L, "set", name+"="+value, yes)
}

// apiResult runs cmd unless the call is unusable and pushes true or
// nil, err.
func (s *luaSession) apiResult(L *lua.LState, cmd string, media bool) int {
	if why := s.usable(L, media); why != "" {
		return failure(L, why)
	}
	if _, why := s.api(cmd); why != "" {
		return failure(L, why)
	}
	L.Push(lua.LTrue)
	return 1
}

// hangup implements session:hangup([cause]) with "api uuid_kill"
// (immediate); ready() is false right after. A hangup hook runs first,
// seeing the call down: its result is stored while the channel is still
// there (see callHook), as mod_lua's is.
func (s *luaSession) hangup(L *lua.LState) int {
	cause := strings.ToUpper(optStr(L, 2, "NORMAL_CLEARING"))
	if why := s.usable(L, false); why != "" {
		return failure(L, why)
	}
	s.cause = cause
	s.markDown("hangup")
	ret := s.callHook(L)
	_, why := s.api("uuid_kill " + s.uuid + " " + quoteIfNeeded(cause))
	markCallDown(L, s.uuid, s)
	raiseHookExit(L, ret)
	if why != "" {
		return failure(L, why)
	}
	L.Push(lua.LTrue)
	return 1
}

// transfer implements session:transfer(ext[, dialplan[, context]]) with
// "api uuid_transfer" -> 1 | nil, err; ready() is false afterwards.
func (s *luaSession) transfer(L *lua.LState) int {
	ext, dp, ctx := L.CheckString(2), optStr(L, 3, ""), optStr(L, 4, "")
	if ctx != "" && dp == "" {
		dp = "XML"
	}
	cmd := joinWords("uuid_transfer", s.uuid, quoteIfNeeded(ext), dp, ctx)
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	if _, why := s.api(cmd); why != "" {
		return failure(L, why)
	}
	s.markTransferred()
	L.Push(lua.LNumber(1))
	return 1
}
