package host

import (
	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// Limits of every Lua state. The call stack grows on demand up to
// stateCallStackSize frames (deep recursion fails with "stack overflow");
// the data stack starts small and grows up to stateRegistryMax slots.
const (
	stateCallStackSize = 512
	stateRegistrySize  = 128
	stateRegistryMax   = 256 * 1024
	stateRegistryGrow  = 256
)

// osUnsafe are the os functions only Sandbox.AllowOS opens.
var osUnsafe = []string{"execute", "exit", "remove", "rename", "tmpname", "setenv", "setlocale"}

// baseUnsafe are the base functions never opened: they read files or dump
// VM internals.
var baseUnsafe = []string{"dofile", "loadfile", "_printregs"}

// newSandboxState returns a state for the script at rel with only the safe
// libraries its sandbox policy allows, require bound to g and the
// registry's modules preloaded for rt.
func (g *Generation) newSandboxState(rt *bindings.Runtime, rel string) *lua.LState {
	L := lua.NewState(lua.Options{
		SkipOpenLibs:        true,
		CallStackSize:       stateCallStackSize,
		MinimizeStackMemory: true,
		RegistrySize:        stateRegistrySize,
		RegistryMaxSize:     stateRegistryMax,
		RegistryGrowStep:    stateRegistryGrow,
	})
	openSafeLibs(L, g.sandbox.policyFor(rel))
	bindings.LimitLibraries(L, g.limits.StringLimit)
	limitLoad(L)
	guardCoroutines(L)
	g.installRequire(L)
	if g.registry != nil {
		g.registry.Preload(L, rt)
	}
	return L
}

// openSafeLibs opens base, package, table, string, math, coroutine and os,
// then removes what the sandbox does not allow; io only with AllowIO.
func openSafeLibs(L *lua.LState, sb Sandbox) {
	libs := []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
		{lua.OsLibName, lua.OpenOs},
	}
	for _, lib := range libs {
		openLib(L, lib.name, lib.open)
	}
	// package.preload is made with room for 32 entries and an array part
	// (2 KiB per state); an empty table grows to what the modules need.
	L.RawSet(libTable(L, lua.LoadLibName), lua.LString("preload"), L.CreateTable(0, 0))
	clearFields(L, L.G.Global, baseUnsafe)
	if !sb.AllowOS {
		clearFields(L, libTable(L, lua.OsLibName), osUnsafe)
		restrictGetenv(L)
	}
	if sb.AllowIO {
		openLib(L, lua.IoLibName, lua.OpenIo)
		restrictIO(L, sb)
	}
	disabledLibs(L, sb) // clear errors for what is missing (sandbox_errors.go)
}

func openLib(L *lua.LState, name string, open lua.LGFunction) {
	L.Push(L.NewFunction(open))
	L.Push(lua.LString(name))
	L.Call(1, 0)
}

func libTable(L *lua.LState, name string) *lua.LTable {
	t, _ := L.GetGlobal(name).(*lua.LTable)
	return t
}

func clearFields(L *lua.LState, t *lua.LTable, names []string) {
	for _, n := range names {
		L.RawSet(t, lua.LString(n), lua.LNil)
	}
}
