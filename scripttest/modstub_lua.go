package scripttest

import (
	lua "github.com/yuin/gopher-lua"
)

// nativeTable is what the prelude gets from Go: the functions behind
// stub.module and spy.module.
func (r *fileRunner) nativeTable() *lua.LTable {
	return r.L.SetFuncs(r.L.NewTable(), map[string]lua.LGFunction{
		"module_set":    r.luaModuleSet,
		"module_calls":  r.luaModuleCalls,
		"module_revert": r.luaModuleRevert,
		"on_error":      r.luaOnError,
	})
}

// luaModuleSet implements module_set(key, through, returns, map,
// fallback) -> id: returns and fallback are packed lists ({n=, ...}),
// map is first argument -> packed list. The prelude has validated the
// shapes and replaced stub.NIL by nil.
func (r *fileRunner) luaModuleSet(L *lua.LState) int {
	w := r.cur(L)
	e := &modEntry{key: L.CheckString(1), through: L.ToBool(2)}
	if t, ok := L.Get(3).(*lua.LTable); ok {
		e.returns = plainList(L, t)
	}
	if t, ok := L.Get(4).(*lua.LTable); ok {
		e.byArg = map[any][]any{}
		t.ForEach(func(k, v lua.LValue) {
			if list, ok := v.(*lua.LTable); ok {
				e.byArg[toPlain(L, k, nil)] = plainList(L, list)
			}
		})
	}
	if t, ok := L.Get(5).(*lua.LTable); ok {
		e.fallback = plainList(L, t)
	}
	id, err := w.mods.set(e)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LNumber(id))
	return 1
}

// luaModuleCalls implements module_calls(id) -> {{n=, args...}, ...}.
func (r *fileRunner) luaModuleCalls(L *lua.LState) int {
	w := r.cur(L)
	calls := w.mods.calls(L.CheckInt(1))
	out := L.CreateTable(len(calls), 0)
	for _, c := range calls {
		out.Append(luaList(L, c))
	}
	L.Push(out)
	return 1
}

// luaModuleRevert implements module_revert(id).
func (r *fileRunner) luaModuleRevert(L *lua.LState) int {
	if r.world != nil {
		r.world.mods.revert(L.CheckInt(1))
	}
	return 0
}
