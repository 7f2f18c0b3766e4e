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

// poolOpener opens states of script "main" as the host does for a call.
func poolOpener(g *Generation, script string) func() (*luaState, error) {
	return func() (*luaState, error) { return g.openState(&bindings.Runtime{Script: script}, ownQueue) }
}

func TestPoolReusesStates(t *testing.T) {
	g := poolGen(t)
	p := g.pool("main")
	if g.pool("main") != p {
		t.Fatal("pool returned a new pool for the same script")
	}
	st, err := p.get(poolOpener(g, "main"))
	if err != nil {
		t.Fatal(err)
	}
	callField(t, st.L, st.tbl, "session")
	first, rt := st.L, st.rt
	p.put(st, true)
	if g.IdleStates("main") != 1 {
		t.Fatalf("after put: idle %d", g.IdleStates("main"))
	}
	st, err = p.get(poolOpener(g, "main"))
	if err != nil {
		t.Fatal(err)
	}
	if st.L != first || st.rt != rt {
		t.Fatal("not reused with its Runtime")
	}
	if n := callField(t, st.L, st.tbl, "session"); n != lua.LNumber(2) {
		t.Fatalf("second call on reused state returned %v", n)
	}
	p.put(st, false)
	if !first.IsClosed() || g.IdleStates("main") != 0 {
		t.Fatal("put(false) did not close the state")
	}
	select {
	case <-rt.Done():
	default:
		t.Fatal("put(false) did not close the state's Runtime")
	}
}

func TestPoolCapsIdleAndClosesWhenRetired(t *testing.T) {
	g := poolGen(t)
	p := g.pool("main")
	var all []*luaState
	for range defaultPoolIdle + 3 {
		st, err := p.get(poolOpener(g, "main"))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, st)
	}
	for _, st := range all {
		p.put(st, true)
	}
	if g.IdleStates("main") != defaultPoolIdle || !all[len(all)-1].L.IsClosed() || all[0].L.IsClosed() {
		t.Fatalf("idle %d, want %d and the surplus closed", g.IdleStates("main"), defaultPoolIdle)
	}
	g.acquire()
	late, err := p.get(poolOpener(g, "main"))
	if err != nil {
		t.Fatal(err)
	}
	g.retire(nil)
	if g.IdleStates("main") != defaultPoolIdle-1 {
		t.Fatal("pool closed while a call holds the generation")
	}
	g.release()
	if g.IdleStates("main") != 0 || !all[0].L.IsClosed() {
		t.Fatal("idle states not closed when the retired generation went idle")
	}
	p.put(late, true)
	if !late.L.IsClosed() || g.IdleStates("main") != 0 {
		t.Fatal("put after close kept the state")
	}
}

func TestPoolUnknownScript(t *testing.T) {
	g := poolGen(t)
	if _, err := g.pool("nope").get(poolOpener(g, "nope")); !errors.Is(err, ErrNoScript) {
		t.Fatalf("get for unknown script: %v", err)
	}
}
