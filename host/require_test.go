package host

import (
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestRequireLibModules(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua": `
local a = require("lib.util")
local b = require("util")          -- falls back to lib/util.lua
local c = require("lib.deep.more")
local d = require("helpers")       -- another script, at the scripts root
return { session = function()
  return table.concat({tostring(a == b), a.name, c.name, type(d.init), tostring(loads)}, ",")
end }`,
		"lib/util.lua":      "loads = (loads or 0) + 1\nreturn {name = 'util'}",
		"lib/deep/more.lua": "return {name = 'more'}",
		"helpers.lua":       "return {init = function() end}",
	})
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	if g.Script("helpers") == nil || g.Script("lib/util") != nil || g.Script("lib/deep/more") != nil {
		t.Fatalf("scripts %v: lib/ files must be modules only", g.Scripts())
	}
	L, tbl, err := openTestState(g, "main", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer L.Close()
	got := callField(t, L, tbl, "session").String()
	if want := "true,util,more,function,1"; got != want {
		t.Fatalf("got %q, want %q (one load of lib/util per state)", got, want)
	}
}

func TestRequireConfinedToGeneration(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "scripts")
	writeFile(t, parent, "outside.lua", "return {leak = true}")
	writeFile(t, dir, "main.lua", `return { session = function(name)
  local ok, err = pcall(require, name)
  if ok then return "loaded" end
  return err
end }`)
	writeFile(t, dir, "main_test.lua", "return {}")
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	L, tbl, err := openTestState(g, "main", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer L.Close()
	abs := filepath.Join(parent, "outside")
	for _, name := range []string{"outside", "..outside", "../outside", abs, abs + ".lua", "main_test", "socket.core", "io", "debug"} {
		got := callField(t, L, tbl, "session", lua.LString(name)).String()
		wantContains(t, got, "module "+name+" not found")
	}
	if got := evalIn(t, Sandbox{}, "return package.path .. '|' .. package.cpath .. '|' .. type(package.loadlib)"); got.String() != "||nil" {
		t.Errorf("package.path|cpath|loadlib = %q", got)
	}
}

func TestOldStateKeepsOldCode(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua":        `return { session = function() return require("lib.version").v end }`,
		"lib/version.lua": `return {v = "v1"}`,
	})
	r := newReloader(&Loader{Dir: dir})
	g1 := mustReload(t, r)
	L1, t1, err := openTestState(g1, "main", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer L1.Close()
	writeFile(t, dir, "lib/version.lua", `return {v = "v2"}`)
	if err := os.Remove(filepath.Join(dir, "main.lua")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "main2.lua", `return { session = function() return require("lib.version").v end }`)
	g2 := mustReload(t, r)
	// L1 requires lib.version only now, after g2 exists: it must get g1's code.
	if got := callField(t, L1, t1, "session").String(); got != "v1" {
		t.Errorf("old state required %q, want v1", got)
	}
	L2, t2, err := openTestState(g2, "main2", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer L2.Close()
	if got := callField(t, L2, t2, "session").String(); got != "v2" {
		t.Errorf("new state required %q, want v2", got)
	}
	if _, _, err := openTestState(g2, "main", nil); err == nil {
		t.Error("g2 still has the removed script main")
	}
}

func mustReload(t *testing.T, r *reloader) *Generation {
	t.Helper()
	g, changed, err := r.reload()
	if err != nil || !changed {
		t.Fatalf("Reload: changed %v err %v", changed, err)
	}
	return g
}
