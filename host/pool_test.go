package host

import (
	"errors"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

func poolGen(t *testing.T) *Generation {
	t.Helper()
	dir := writeTree(t, map[string]string{"main.lua": `
calls = 0
return { session = function() calls = calls + 1; return calls end }`})
	return mustBuild(t, &Loader{Dir: dir}, nil)
}

func TestPoolReusesStates(t *testing.T) {
	g := poolGen(t)
	p := g.Pool("main")
	if g.Pool("main") != p {
		t.Fatal("Pool returned a new pool for the same script")
	}
	ps, err := p.Get(&bindings.Env{CallUUID: "call-1", Node: "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	if ps.Env.CallUUID != "call-1" || ps.Env.Script != "main" {
		t.Fatalf("env %+v", ps.Env)
	}
	callField(t, ps.L, ps.Table, "session")
	first := ps.L
	p.Put(ps)
	if p.Idle() != 1 || ps.Env.CallUUID != "" || ps.Env.Script != "main" {
		t.Fatalf("after Put: idle %d env %+v", p.Idle(), ps.Env)
	}
	ps, err = p.Get(&bindings.Env{CallUUID: "call-2"})
	if err != nil {
		t.Fatal(err)
	}
	if ps.L != first || ps.Env.CallUUID != "call-2" || ps.Env.Node != "" {
		t.Fatalf("not reused or env not replaced: %+v", ps.Env)
	}
	if n := callField(t, ps.L, ps.Table, "session"); n != lua.LNumber(2) {
		t.Fatalf("second call on reused state returned %v", n)
	}
	p.Discard(ps)
	if !first.IsClosed() || p.Idle() != 0 {
		t.Fatal("Discard did not close the state")
	}
}

func TestPoolCapsIdleAndClosesWhenRetired(t *testing.T) {
	g := poolGen(t)
	p := g.Pool("main")
	var all []*PooledState
	for range DefaultPoolIdle + 3 {
		ps, err := p.Get(nil)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps)
	}
	for _, ps := range all {
		p.Put(ps)
	}
	if p.Idle() != DefaultPoolIdle || !all[len(all)-1].L.IsClosed() || all[0].L.IsClosed() {
		t.Fatalf("idle %d, want %d and the surplus closed", p.Idle(), DefaultPoolIdle)
	}
	g.Acquire()
	late, err := p.Get(nil)
	if err != nil {
		t.Fatal(err)
	}
	g.Retire(nil)
	if p.Idle() != DefaultPoolIdle-1 {
		t.Fatal("pool closed while a call holds the generation")
	}
	g.Release()
	if p.Idle() != 0 || !all[0].L.IsClosed() {
		t.Fatal("idle states not closed when the retired generation went idle")
	}
	p.Put(late)
	if !late.L.IsClosed() || p.Idle() != 0 {
		t.Fatal("Put after close kept the state")
	}
}

func TestPoolUnknownScript(t *testing.T) {
	g := poolGen(t)
	if _, err := g.Pool("nope").Get(nil); !errors.Is(err, ErrNoScript) {
		t.Fatalf("Get for unknown script: %v", err)
	}
}
