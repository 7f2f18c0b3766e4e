package host

import (
	"path"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// mod_lua-style call scripts.
//
// A file under a mod_lua/ folder of the scripts directory (at any depth,
// but not under lib/) is an existing FreeSWITCH mod_lua call script: top
// level code using the globals session, argv and freeswitch. It is
// compiled at load (a syntax error fails the build like any script) but
// never run then; it becomes an outbound script ("mod_lua/ivr") routed
// like any session script. For each call the host runs the compiled
// chunk top to bottom on the call's pooled state, through the same path
// (budget, hangup, generation pinning, cleanup) as a session function;
// what the chunk returns is ignored.

// ArgvVar is the channel variable giving a mod_lua-style script its
// arguments: argv[1..] are its value split as mod_lua splits the lua
// application's arguments (spaces; single quotes group; see splitArgs);
// argv[0] is the script's file below its mod_lua/ folder ("ivr.lua").
const ArgvVar = "eslscript_argv"

// modLuaDir is the folder name that marks mod_lua-style scripts.
const modLuaDir = "mod_lua"

// isModLua reports whether a file sits under a mod_lua/ folder (at any
// depth) and is not a lib/ module.
func isModLua(rel string) bool {
	if isModuleOnly(rel) {
		return false
	}
	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if path.Base(dir) == modLuaDir {
			return true
		}
	}
	return false
}

// modLuaScript describes a compiled mod_lua-style file: a session script
// whose top level is the session handler.
func modLuaScript(f *luaFile) *Script {
	return &Script{Name: scriptName(f.rel), Path: f.path, Session: true, ModLua: true, file: f}
}

// modLuaTable prepares L (a sandbox state of the mod_lua-style script s)
// and returns its handler table: the global freeswitch module is set and
// the table's session function runs the chunk with the globals session
// and argv set. The chunk itself does not run here.
func (g *Generation) modLuaTable(L *lua.LState, s *Script) *lua.LTable {
	openLua53(L, g.sandbox.policyFor(s.file.rel))
	g.installModLuaRequire(L, s.file.rel)
	if fs := requireModule(L, "freeswitch"); fs != lua.LNil {
		L.SetGlobal("freeswitch", fs)
	}
	tbl := L.NewTable()
	tbl.RawSetString("session", L.NewFunction(modLuaEntry(s.file, snapshotGlobals(L), snapshotLoaded(L))))
	return tbl
}

// requireModule returns require(name), or nil when it fails (no such
// module in the registry).
func requireModule(L *lua.LState, name string) lua.LValue {
	if err := L.CallByParam(lua.P{Fn: L.GetGlobal("require"), NRet: 1, Protect: true}, lua.LString(name)); err != nil {
		return lua.LNil
	}
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// modLuaEntry returns the session function of a mod_lua-style script,
// called as (session, argv): it sets the globals (session also under the
// call's uuid, as mod_lua does), runs the chunk and, when the chunk
// returned normally, puts the globals and package.loaded back as they
// were when the state was made, so that the pooled state starts the next
// call as mod_lua's fresh state would: the modules the call required are
// loaded again by the next call's require, and the globals they define
// with them. A chunk that raised leaves its state to be discarded.
func modLuaEntry(f *luaFile, base, loaded map[lua.LValue]lua.LValue) lua.LGFunction {
	return func(L *lua.LState) int {
		L.SetGlobal("session", L.Get(1))
		L.SetGlobal("argv", L.Get(2))
		if uuid, ok := L.GetField(L.Get(1), "uuid").(lua.LString); ok && uuid != "" {
			L.SetGlobal(string(uuid), L.Get(1))
		}
		L.Push(L.NewFunctionFromProto(f.proto))
		L.Call(0, 0)
		resetGlobals(L, base)
		resetLoaded(L, loaded)
		return 0
	}
}

// loadedTable returns package.loaded (nil if a script replaced it).
func loadedTable(L *lua.LState) *lua.LTable {
	t, _ := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable)
	return t
}

// snapshotLoaded returns package.loaded's entries.
func snapshotLoaded(L *lua.LState) map[lua.LValue]lua.LValue {
	base := map[lua.LValue]lua.LValue{}
	if t := loadedTable(L); t != nil {
		t.ForEach(func(k, v lua.LValue) { base[k] = v })
	}
	return base
}

// resetLoaded removes the modules loaded since the snapshot base.
func resetLoaded(L *lua.LState, base map[lua.LValue]lua.LValue) {
	t := loadedTable(L)
	if t == nil {
		return
	}
	var extra []lua.LValue
	t.ForEach(func(k, v lua.LValue) {
		if bv, ok := base[k]; !ok || bv != v {
			extra = append(extra, k)
		}
	})
	for _, k := range extra {
		v, ok := base[k]
		if !ok {
			v = lua.LNil
		}
		t.RawSet(k, v)
	}
}

// snapshotGlobals returns L's globals.
func snapshotGlobals(L *lua.LState) map[lua.LValue]lua.LValue {
	base := map[lua.LValue]lua.LValue{}
	L.G.Global.ForEach(func(k, v lua.LValue) { base[k] = v })
	return base
}

// resetGlobals removes the globals not in base and restores those a
// script changed.
func resetGlobals(L *lua.LState, base map[lua.LValue]lua.LValue) {
	var extra []lua.LValue
	L.G.Global.ForEach(func(k, v lua.LValue) {
		if bv, ok := base[k]; !ok || bv != v {
			extra = append(extra, k)
		}
	})
	for _, k := range extra {
		v, ok := base[k]
		if !ok {
			v = lua.LNil
		}
		L.G.Global.RawSet(k, v)
	}
	for k, v := range base {
		if L.G.Global.RawGet(k) == lua.LNil {
			L.G.Global.RawSet(k, v)
		}
	}
}

// sessionArgs are the arguments of a script's session function: the
// session object, plus argv for a mod_lua-style script.
func sessionArgs(L *lua.LState, sc *Script, s *esl.Session, obj lua.LValue) []lua.LValue {
	if sc == nil || !sc.ModLua {
		return []lua.LValue{obj}
	}
	var args string
	if s.Data != nil {
		args = s.Data.Var(ArgvVar)
	}
	return []lua.LValue{obj, argvTable(L, modLuaArg0(sc.file.rel), args)}
}
