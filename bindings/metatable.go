package bindings

import lua "github.com/yuin/gopher-lua"

// methodsMetatable returns the metatable registered for a userdata type,
// building it on first use with __index set to a table of methods.
func methodsMetatable(L *lua.LState, typeName string, methods map[string]lua.LGFunction) lua.LValue {
	if mt := L.GetTypeMetatable(typeName); mt != lua.LNil {
		return mt
	}
	mt := L.NewTypeMetatable(typeName)
	mt.RawSetString("__index", L.SetFuncs(L.NewTable(), methods))
	return mt
}
