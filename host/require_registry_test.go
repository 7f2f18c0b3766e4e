package host

import (
	"testing"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

func TestRequireRegistryModulesFirst(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua": `
local json = require("json")
local mine = require("lib.mine")
return { session = function()
  return type(json) .. "," .. tostring(json.fake) .. "," .. mine.name .. "," .. require("extra").who
end }`,
		"lib/json.lua": "return {fake = true}", // shadowed: host modules win
		"lib/mine.lua": "return {name = 'mine'}",
	})
	reg := bindings.NewRegistry()
	var seen *bindings.Runtime
	err := reg.Add(bindings.Module{Name: "extra", Open: func(L *lua.LState, env *bindings.Runtime) *lua.LTable {
		seen = env
		t := L.NewTable()
		t.RawSetString("who", lua.LString(env.Script))
		return t
	}})
	if err != nil {
		t.Fatal(err)
	}
	g := mustBuild(t, &Loader{Dir: dir, Registry: reg}, nil)
	env := &bindings.Runtime{}
	L, tbl, err := openTestState(g, "main", env)
	if err != nil {
		t.Fatal(err)
	}
	defer L.Close()
	if got := callField(t, L, tbl, "session").String(); got != "table,nil,mine,main" {
		t.Fatalf("got %q", got)
	}
	if seen != env {
		t.Fatal("module opened with another Runtime than the state's")
	}
}
