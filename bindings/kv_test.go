package bindings

import (
	"errors"
	"testing"
	"time"
)

func TestMemoryKVExpiry(t *testing.T) {
	clk := newFakeClock()
	kv := NewMemoryKV(clk)
	kv.Set("a", "1", time.Second)
	kv.Set("b", "2", 0)
	if v, ok := kv.Get("a"); !ok || v != "1" {
		t.Fatalf("Get(a) = %q, %v", v, ok)
	}
	clk.Advance(time.Second)
	if _, ok := kv.Get("a"); ok {
		t.Fatal("a should have expired")
	}
	if got := kv.Keys(""); len(got) != 1 || got[0] != "b" {
		t.Fatalf("Keys = %v, want [b]", got)
	}
	n, err := kv.Incr("c", 5, 2*time.Second)
	if err != nil || n != 5 {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	if n, _ = kv.Incr("c", -2, 0); n != 3 {
		t.Fatalf("Incr = %d, want 3", n)
	}
	clk.Advance(2 * time.Second) // incr with ttl 0 kept the expiry
	if _, ok := kv.Get("c"); ok {
		t.Fatal("c should have expired")
	}
	if _, err := kv.Incr("b", 1, 0); err != nil {
		t.Fatalf("Incr on integer string: %v", err)
	}
	kv.Set("s", "x", 0)
	if _, err := kv.Incr("s", 1, 0); !errors.Is(err, ErrNotInteger) {
		t.Fatalf("Incr on text: %v, want ErrNotInteger", err)
	}
}

func TestMemoryKVSweeper(t *testing.T) {
	clk := newFakeClock()
	kv := NewMemoryKV(clk)
	kv.Set("x", "1", time.Second)
	kv.Set("y", "1", time.Hour)
	stop := kv.StartSweeper(time.Minute)
	clk.awaitAfter(t, 1)
	clk.Advance(time.Minute)
	clk.awaitAfter(t, 1) // the sweep ran and the sweeper re-armed
	if kv.Len() != 1 {
		t.Fatalf("Len after sweep = %d, want 1", kv.Len())
	}
	stop()
	kv.reset()
	if kv.Len() != 0 {
		t.Fatal("Reset left entries")
	}
}

func TestKVModule(t *testing.T) {
	clk := newFakeClock()
	L := newTestState(t, &testEnv{KV: NewMemoryKV(clk)})
	run(t, L, `
		local kv = require("kv")
		kv.set("user:1", "alice")
		kv.set("user:2", 42, 1000)
		kv.set("other", "z")
		a = kv.get("user:1")
		b = kv.get("user:2")
		missing = tostring(kv.get("nope"))
		n1 = kv.incr("hits")
		n2 = kv.incr("hits", 10)
		keys = table.concat(kv.keys("user:"), ",")
		kv.del("user:1")
		gone = tostring(kv.get("user:1"))
		kv.set("other", nil)
		gone2 = tostring(kv.get("other"))
		bad, err = kv.incr("user:2x") -- missing counts as 0
		ok_misuse = not pcall(kv.set, "k", {})
	`)
	want := map[string]string{"a": "alice", "b": "42", "missing": "nil", "n1": "1", "n2": "11",
		"keys": "user:1,user:2", "gone": "nil", "gone2": "nil", "bad": "1", "ok_misuse": "true"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	clk.Advance(time.Second)
	run(t, L, `expired = tostring(require("kv").get("user:2"))`)
	if got := global(L, "expired"); got != "nil" {
		t.Errorf("user:2 after ttl = %q", got)
	}
}

func TestKVModuleNoStore(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `v, err = require("kv").get("a")`)
	if global(L, "v") != "nil" || global(L, "err") != errNoKV.Error() {
		t.Fatalf("got %s, %s", global(L, "v"), global(L, "err"))
	}
}
