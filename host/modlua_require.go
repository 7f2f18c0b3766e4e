package host

import (
	"fmt"
	"path"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// require in mod_lua-style scripts. FreeSWITCH's lua.conf.xml puts its
// script directory first in package.path, so require("util") in a script
// of that directory finds util.lua beside it, and require("app.vm")
// app/vm.lua below it. A mod_lua/ folder plays the role of that
// directory: its scripts find their modules in it first (mod_lua/name.lua,
// then mod_lua/lib/name.lua), then where every script does (name.lua and
// lib/name.lua of the scripts directory).

// installModLuaRequire adds the search of the mod_lua/ folder of the
// script at rel to require's searchers, after package.preload (host
// modules) and before the scripts directory.
func (g *Generation) installModLuaRequire(L *lua.LState, rel string) {
	root := modLuaRoot(rel)
	loaders, ok := L.GetField(L.Get(lua.RegistryIndex), "_LOADERS").(*lua.LTable)
	if !ok || root == "" {
		return
	}
	require := L.GetGlobal("require")
	search := L.NewFunction(func(L *lua.LState) int {
		name := L.CheckString(1)
		if f := g.modLuaModule(root, name); f != nil {
			L.Push(fileLoader(L, f, name, require))
			return 1
		}
		L.Push(lua.LString(fmt.Sprintf("no file for '%s' in %s/", name, root)))
		return 1
	})
	n := loaders.Len()
	for i := n; i >= 2; i-- {
		loaders.RawSetInt(i+1, loaders.RawGetInt(i))
	}
	loaders.RawSetInt(2, search)
}

// modLuaModule maps a dotted module name to a file of the mod_lua/ folder
// root: root/a/b.lua, else root/lib/a/b.lua.
func (g *Generation) modLuaModule(root, name string) *luaFile {
	if !validModuleName(name) {
		return nil
	}
	rel := strings.ReplaceAll(name, ".", "/") + ".lua"
	if f := g.files[root+"/"+rel]; f != nil {
		return f
	}
	return g.files[root+"/lib/"+rel]
}

// modLuaRoot is the mod_lua/ folder a mod_lua-style script at rel belongs
// to (the nearest above it), "" for none.
func modLuaRoot(rel string) string {
	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if path.Base(dir) == modLuaDir {
			return dir
		}
	}
	return ""
}
