package host

import (
	lua "github.com/yuin/gopher-lua"
)

// What a script reaching for a library the sandbox withholds gets: instead
// of "attempt to call a nil value" or "attempt to index a non-table
// object(nil) with key 'open'", an error naming the function, the sandbox
// and the setting that opens it.

// sandboxHint says where the settings that open os and io are.
const sandboxHint = "(scripts.sandbox, or scripts.sandbox_dirs for a directory)"

// disabledLibs replaces what openSafeLibs removed by stand-ins that raise
// a clear error: os's unsafe functions without AllowOS, the io library
// without AllowIO (a table whose every field raises), the debug library,
// dofile and loadfile.
func disabledLibs(L *lua.LState, sb Sandbox) {
	if !sb.AllowOS {
		ost := libTable(L, lua.OsLibName)
		for _, name := range osUnsafe {
			L.RawSet(ost, lua.LString(name), disabledFunc(L, "os."+name+" is disabled by the sandbox; see allow_os "+sandboxHint))
		}
	}
	if !sb.AllowIO {
		L.SetGlobal(lua.IoLibName, disabledTable(L, "io", "is disabled by the sandbox; see allow_io and read_paths "+sandboxHint))
	}
	L.SetGlobal(lua.DebugLibName, disabledTable(L, "debug", "is not available to scripts"))
	for _, name := range []string{"dofile", "loadfile"} {
		L.SetGlobal(name, disabledFunc(L, name+" is not available to scripts: use require(\"name\") for the files of the scripts directory"))
	}
}

// disabledFunc is a function that raises msg.
func disabledFunc(L *lua.LState, msg string) *lua.LFunction {
	return L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s", msg)
		return 0
	})
}

// disabledTable is a table whose every field read raises "lib.key why".
func disabledTable(L *lua.LState, lib, why string) *lua.LTable {
	t := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s.%s %s", lib, L.ToStringMeta(L.Get(2)).String(), why)
		return 0
	}))
	mt.RawSetString("__newindex", mt.RawGetString("__index"))
	L.SetMetatable(t, mt)
	return t
}
