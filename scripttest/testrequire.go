package scripttest

import (
	"fmt"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// testModules are the host modules a test file itself may require: those
// that need no FreeSWITCH, call or clock of a world.
var testModules = map[string]bool{"json": true}

// installTestRequire makes require in the test state find sim (preloaded
// by installSim) and the modules of testModules from reg, and nothing on
// the filesystem: a test file reaches the scripts' modules through sim,
// spy.module and stub.module, and an unknown name says so (instead of
// listing paths under /usr/local).
func installTestRequire(L *lua.LState, reg *bindings.Registry) {
	pkg := L.GetGlobal(lua.LoadLibName).(*lua.LTable)
	L.RawSet(pkg, lua.LString("path"), lua.LString(""))
	L.RawSet(pkg, lua.LString("cpath"), lua.LString(""))
	preload := L.GetField(pkg, "preload").(*lua.LTable)
	for _, m := range reg.Modules() {
		if testModules[m.Name] {
			env := &bindings.Runtime{Script: "test"}
			L.RawSet(preload, lua.LString(m.Name), L.NewFunction(func(L *lua.LState) int {
				L.Push(m.Open(L, env))
				return 1
			}))
		}
	}
	loaders := L.CreateTable(2, 0)
	loaders.RawSetInt(1, L.NewFunction(func(L *lua.LState) int {
		if fn := preload.RawGetString(L.CheckString(1)); fn != lua.LNil {
			L.Push(fn)
			return 1
		}
		L.Push(lua.LString(""))
		return 1
	}))
	loaders.RawSetInt(2, L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(fmt.Sprintf("\n\ta test file can require json and sim; the scripts' modules are reached "+
			"through the scripts (sim.call, sim.event) and spy.module/stub.module, not required by %q", L.CheckString(1))))
		return 1
	}))
	L.RawSet(pkg, lua.LString("loaders"), loaders)
	L.SetField(L.Get(lua.RegistryIndex), "_LOADERS", loaders)
}
