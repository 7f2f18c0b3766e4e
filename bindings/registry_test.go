package bindings

import (
	"errors"
	"slices"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if got := r.Names(); !slices.Equal(got, []string{"esl", "freeswitch", "json", "kv", "log", "timer"}) {
		t.Fatalf("Names = %v", got)
	}
	if err := r.Add(Module{Name: "json", Open: openJSON}); !errors.Is(err, ErrModuleExists) {
		t.Fatalf("Add duplicate: %v", err)
	}
	extra := Module{Name: "extra", Open: func(L *lua.LState, env *Runtime) *lua.LTable {
		t := L.NewTable()
		t.RawSetString("script", lua.LString(env.Script))
		return t
	}}
	if err := r.Add(extra); err != nil {
		t.Fatal(err)
	}
	L := lua.NewState()
	defer L.Close()
	r.Preload(L, (&testEnv{Script: "s1"}).runtime())
	run(t, L, `
		name = require("extra").script
		same = require("json") == require("json")
		for _, m in ipairs({"esl", "freeswitch", "json", "kv", "log", "timer"}) do require(m) end
	`)
	if global(L, "name") != "s1" || global(L, "same") != "true" {
		t.Fatalf("name=%s same=%s", global(L, "name"), global(L, "same"))
	}
}

// Interface guard: the outbound session adapter satisfies Call.
var _ = WrapSession
