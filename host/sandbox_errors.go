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
		for i, name := range osUnsafe {
			L.RawSet(ost, lua.LString(name), disabledFunc(L, osDisabled[i]))
		}
	}
	if !sb.AllowIO {
		L.SetGlobal(lua.IoLibName, disabledTable(L, "io", ioDisabled))
	}
	L.SetGlobal(lua.DebugLibName, disabledTable(L, "debug", "is not available to scripts"))
	for i, name := range fileLoaders {
		L.SetGlobal(name, disabledFunc(L, fileLoadersDisabled[i]))
	}
}

// The messages, made once rather than for every state.
var (
	osDisabled = prefixed("os.", osUnsafe, " is disabled by the sandbox; see allow_os "+sandboxHint)
	ioDisabled = "is disabled by the sandbox; see allow_io and read_paths " + sandboxHint
	// fileLoaders are the base functions that load files by path.
	fileLoaders         = []string{"dofile", "loadfile"}
	fileLoadersDisabled = prefixed("", fileLoaders,
		" is not available to scripts: use require(\"name\") for the files of the scripts directory")
)

// prefixed returns pre+name+post for each name.
func prefixed(pre string, names []string, post string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = pre + n + post
	}
	return out
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
	// Sized tables: NewTable preallocates 32 array and 32 hash slots, 6 KiB
	// for these two, paid by every state (every parked call).
	t := L.CreateTable(0, 0)
	mt := L.CreateTable(0, 2)
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s.%s %s", lib, L.ToStringMeta(L.Get(2)).String(), why)
		return 0
	}))
	mt.RawSetString("__newindex", mt.RawGetString("__index"))
	L.SetMetatable(t, mt)
	return t
}
