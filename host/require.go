package host

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// installRequire makes require search, in order, package.preload (where the
// bindings registry puts its modules) and then this generation's compiled
// files. There is no file-system search: package.path and package.cpath
// are empty and package.loadlib is gone. Old states keep requiring from
// their own generation, whatever is current.
func (g *Generation) installRequire(L *lua.LState) {
	pkg := libTable(L, lua.LoadLibName)
	L.RawSet(pkg, lua.LString("path"), lua.LString(""))
	L.RawSet(pkg, lua.LString("cpath"), lua.LString(""))
	L.RawSet(pkg, lua.LString("loadlib"), lua.LNil)
	loaders := L.CreateTable(2, 0)
	loaders.RawSetInt(1, L.NewFunction(preloadSearcher))
	require := L.GetGlobal("require")
	loaders.RawSetInt(2, L.NewFunction(func(L *lua.LState) int { return g.fileSearcher(L, require) }))
	L.RawSet(pkg, lua.LString("loaders"), loaders)
	// require reads the loaders from the registry, not from package.
	L.SetField(L.Get(lua.RegistryIndex), "_LOADERS", loaders)
}

// preloadSearcher finds name in package.preload.
func preloadSearcher(L *lua.LState) int {
	name := L.CheckString(1)
	pkg, _ := L.GetGlobal(lua.LoadLibName).(*lua.LTable)
	var preload *lua.LTable
	if pkg != nil {
		preload, _ = pkg.RawGetString("preload").(*lua.LTable)
	}
	if preload == nil {
		L.RaiseError("package.preload must be a table")
	}
	if fn := preload.RawGetString(name); fn != lua.LNil {
		L.Push(fn)
		return 1
	}
	L.Push(lua.LString(fmt.Sprintf("no host module '%s'", name)))
	return 1
}

// fileSearcher finds name among the generation's files. A name that only
// matched through the lib/ fallback is loaded as its canonical name
// ("util" as "lib.util"), so both names give the same module instance.
func (g *Generation) fileSearcher(L *lua.LState, require lua.LValue) int {
	name := L.CheckString(1)
	f := g.moduleFile(name)
	if f == nil {
		L.Push(lua.LString(fmt.Sprintf("no file for '%s' in the scripts directory", name)))
		return 1
	}
	L.Push(fileLoader(L, f, name, require))
	return 1
}

// fileLoader is the loader of module name found in file f: f's chunk when
// name is f's canonical name, else a function requiring the canonical
// name, so that both names give the same module instance.
func fileLoader(L *lua.LState, f *luaFile, name string, require lua.LValue) *lua.LFunction {
	canonical := strings.ReplaceAll(strings.TrimSuffix(f.rel, ".lua"), "/", ".")
	if canonical == name {
		return L.NewFunctionFromProto(f.proto)
	}
	return L.NewFunction(func(L *lua.LState) int {
		L.Push(require)
		L.Push(lua.LString(canonical))
		L.Call(1, 1)
		return 1
	})
}

// moduleFile maps a dotted module name to a file of the generation:
// "lib.util" is lib/util.lua, "util" is util.lua and, failing that,
// lib/util.lua. Names that are not dotted identifiers (paths, "..") match
// nothing.
func (g *Generation) moduleFile(name string) *luaFile {
	if !validModuleName(name) {
		return nil
	}
	rel := strings.ReplaceAll(name, ".", "/") + ".lua"
	if f := g.files[rel]; f != nil {
		return f
	}
	return g.files["lib/"+rel]
}

// validModuleName accepts dot-separated, non-empty segments of letters,
// digits, '_' and '-'.
func validModuleName(name string) bool {
	for _, seg := range strings.Split(name, ".") {
		if seg == "" || strings.IndexFunc(seg, notModuleRune) >= 0 {
			return false
		}
	}
	return true
}

func notModuleRune(r rune) bool {
	return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}
