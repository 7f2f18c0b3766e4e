package rediskv_test

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	lua "github.com/yuin/gopher-lua"
)

// newLua returns a Lua state whose modules act on env, closed when t ends.
func newLua(t *testing.T, env *bindings.Runtime) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	bindings.NewRegistry().Preload(L, env)
	return L
}

// runLua executes code, failing t on a Lua error.
func runLua(t *testing.T, L *lua.LState, code string) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		t.Fatalf("lua: %v", err)
	}
}

// globals reads globals as strings ("nil" for nil).
func globals(L *lua.LState, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = L.GetGlobal(n).String()
	}
	return out
}

// expect fails t for every global that differs from want.
func expect(t *testing.T, L *lua.LState, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if got := L.GetGlobal(name).String(); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

// TestLuaModule runs the kv module's script-level behaviour on every
// backend: same results, same error texts.
func TestLuaModule(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		L := newLua(t, &bindings.Runtime{KV: kv})
		runLua(t, L, `
			local kv = require("kv")
			ok_set = kv.set("user:1", "alice")
			kv.set("user:2", 42, 60000)
			kv.set("short", "s", 30)
			kv.set("other", "z")
			kv.set("txt", "x")
			a, b, missing = kv.get("user:1"), kv.get("user:2"), tostring(kv.get("nope"))
			n1 = kv.incr("hits")
			n2 = kv.incr("hits", 10)
			bad, bad_err = kv.incr("txt")
			keys = table.concat(kv.keys("user:"), ",")
			ok_del = kv.del("user:1")
			gone = tostring(kv.get("user:1"))
			kv.set("other", nil)
			gone2 = tostring(kv.get("other"))
			ok_misuse = not pcall(kv.set, "k", {})
		`)
		expect(t, L, map[string]string{"ok_set": "true", "a": "alice", "b": "42", "missing": "nil",
			"n1": "1", "n2": "11", "bad": "nil", "bad_err": bindings.ErrNotInteger.Error(),
			"keys": "user:1,user:2", "ok_del": "true", "gone": "nil", "gone2": "nil", "ok_misuse": "true"})
		eventually(t, "short expires (seen from Lua)", func() bool {
			runLua(t, L, `short = tostring(require("kv").get("short"))`)
			return globals(L, "short")["short"] == "nil"
		})
	})
}

// TestTwoStatesShareOneRedis checks that two Lua states with their own
// clients (as two daemons would have) see each other's writes.
func TestTwoStatesShareOneRedis(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	A := newLua(t, &bindings.Runtime{KV: newStore(t, srv, "app:")})
	B := newLua(t, &bindings.Runtime{KV: newStore(t, srv, "app:")})
	runLua(t, A, `local kv = require("kv"); kv.set("leader", "A"); kv.incr("calls")`)
	runLua(t, B, `local kv = require("kv"); leader = kv.get("leader"); calls = kv.incr("calls"); kv.set("seen", "B")`)
	runLua(t, A, `local kv = require("kv"); seen = kv.get("seen"); keys = table.concat(kv.keys(""), ",")`)
	expect(t, B, map[string]string{"leader": "A", "calls": "2"})
	expect(t, A, map[string]string{"seen": "B", "keys": "calls,leader,seen"})
}

// TestStoreDownFailsFast stops Redis under a Lua state: every kv call
// returns nil, err quickly, and works again once a server is back.
func TestStoreDownFailsFast(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	L := newLua(t, &bindings.Runtime{KV: newStore(t, srv, "")})
	runLua(t, L, `assert(require("kv").set("k", "v"))`)
	srv.Stop()
	start := time.Now()
	runLua(t, L, `
		local kv = require("kv")
		g, gerr = kv.get("k")
		s, serr = kv.set("k", "v")
		d, derr = kv.del("k")
		i, ierr = kv.incr("n")
		ks, kerr = kv.keys("")
	`)
	elapsed := time.Since(start)
	got := globals(L, "g", "s", "d", "i", "ks", "gerr", "serr", "derr", "ierr", "kerr")
	for _, v := range []string{"g", "s", "d", "i", "ks"} {
		if got[v] != "nil" {
			t.Errorf("%s = %s, want nil", v, got[v])
		}
	}
	for _, e := range []string{"gerr", "serr", "derr", "ierr", "kerr"} {
		if !contains(got[e], "rediskv: redis unavailable") {
			t.Errorf("%s = %q, want redis unavailable", e, got[e])
		}
	}
	if elapsed > 5*time.Second { // 5 calls, each bounded by the 1 s timeout
		t.Errorf("5 calls on a stopped server took %v", elapsed)
	}
}

// TestStoreHungTimesOut freezes Redis (connections open, no answer): a
// call returns nil, err after the store's timeout, or sooner when the
// handler's own context ends first.
func TestStoreHungTimesOut(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	store := newStoreTimeout(t, srv, 300*time.Millisecond)
	env := &bindings.Runtime{KV: store}
	L := newLua(t, env)
	runLua(t, L, `assert(require("kv").set("k", "v"))`) // a pooled connection exists
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	defer srv.Resume()
	took := timeLua(t, L, `v, err = require("kv").get("k")`)
	if g := globals(L, "v", "err"); g["v"] != "nil" || !contains(g["err"], "rediskv: redis unavailable") {
		t.Fatalf("get on a hung server = %v", g)
	}
	if took < 300*time.Millisecond || took > 2*time.Second {
		t.Errorf("get on a hung server returned after %v, want about the 300ms timeout", took)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	env.Run(bindings.Scope{}.WithContext(short), func() { took = timeLua(t, L, `v, err = require("kv").incr("n")`) })
	if took > 250*time.Millisecond {
		t.Errorf("incr under a 50ms handler deadline returned after %v", took)
	}
	if g := globals(L, "v", "err"); g["v"] != "nil" || g["err"] == "nil" {
		t.Fatalf("incr on a hung server = %v", g)
	}
}

// newStoreTimeout is newStore with a chosen per-call timeout.
func newStoreTimeout(t *testing.T, srv *rediskvtest.Server, timeout time.Duration) bindings.KV {
	t.Helper()
	s := newStoreWith(t, srv, timeout)
	return s
}

// timeLua runs code and returns how long it took.
func timeLua(t *testing.T, L *lua.LState, code string) time.Duration {
	t.Helper()
	start := time.Now()
	runLua(t, L, code)
	return time.Since(start)
}
