package bindings

import lua "github.com/yuin/gopher-lua"

// methodsMetatable returns the metatable registered for a userdata type,
// building it on first use with __index set to a table of methods.
func methodsMetatable(L *lua.LState, typeName string, methods map[string]lua.LGFunction) lua.LValue {
	if mt := L.GetTypeMetatable(typeName); mt != lua.LNil {
		return mt
	}
	mt := L.NewTypeMetatable(typeName)
	mt.RawSetString("__index", funcTable(L, methods))
	return mt
}

// funcTable is a table holding fns, sized for them: NewTable preallocates
// 32 array and 32 hash slots (about 3 KiB), paid again by every state that
// requires the module.
func funcTable(L *lua.LState, fns map[string]lua.LGFunction) *lua.LTable {
	return L.SetFuncs(L.CreateTable(0, len(fns)), fns)
}
