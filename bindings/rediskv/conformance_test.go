package rediskv_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// forEachBackend runs test against every backend, each on a fresh store.
func forEachBackend(t *testing.T, test func(t *testing.T, kv bindings.KV)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b.open(t))
		})
	}
}

func TestGetSetDelete(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		if v, ok := mustGet(t, kv, "missing"); ok || v != "" {
			t.Fatalf("missing = %q, %v", v, ok)
		}
		mustSet(t, kv, "a", "1", 0)
		mustSet(t, kv, "empty", "", 0)
		if v, ok := mustGet(t, kv, "a"); !ok || v != "1" {
			t.Fatalf("a = %q, %v", v, ok)
		}
		if v, ok := mustGet(t, kv, "empty"); !ok || v != "" {
			t.Fatalf("empty = %q, %v, want set and empty", v, ok)
		}
		for _, k := range []string{"a", "a", "never"} { // deleting twice or a missing key is fine
			if err := kv.DeleteContext(context.Background(), k); err != nil {
				t.Fatalf("del %q: %v", k, err)
			}
		}
		if _, ok := mustGet(t, kv, "a"); ok {
			t.Fatal("a still set after del")
		}
	})
}

func TestExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		mustSet(t, kv, "short", "x", 50*time.Millisecond)
		mustSet(t, kv, "cleared", "x", 50*time.Millisecond)
		mustSet(t, kv, "cleared", "y", 0) // a set without ttl drops the expiry
		mustSet(t, kv, "long", "z", time.Hour)
		if _, ok := mustGet(t, kv, "short"); !ok {
			t.Fatal("short expired at once")
		}
		eventually(t, "short expires", gone(t, kv, "short"))
		if v, ok := mustGet(t, kv, "cleared"); !ok || v != "y" {
			t.Fatalf("cleared = %q, %v: the second set should have dropped the ttl", v, ok)
		}
		if got := mustKeys(t, kv, ""); !slices.Equal(got, []string{"cleared", "long"}) {
			t.Fatalf("keys = %q, want the live ones", got)
		}
	})
}

func TestIncr(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		if n := mustIncr(t, kv, "c", 5, 0); n != 5 {
			t.Fatalf("incr missing = %d, want 5 (starts at 0)", n)
		}
		if n := mustIncr(t, kv, "c", -7, 0); n != -2 {
			t.Fatalf("incr = %d, want -2", n)
		}
		mustSet(t, kv, "num", "40", 0)
		mustSet(t, kv, "empty", "", 0)
		if n := mustIncr(t, kv, "num", 2, 0); n != 42 {
			t.Fatalf("incr num = %d", n)
		}
		if n := mustIncr(t, kv, "empty", 1, 0); n != 1 {
			t.Fatalf("incr on an empty value = %d, want 1", n)
		}
		if v, _ := mustGet(t, kv, "num"); v != "42" {
			t.Fatalf("num = %q, want the string 42", v)
		}
	})
}

func TestIncrNotInteger(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		for _, v := range []string{"x", "1.5", "12abc"} {
			mustSet(t, kv, "s", v, 0)
			_, err := kv.IncrContext(context.Background(), "s", 1, 20*time.Millisecond)
			if !errors.Is(err, bindings.ErrNotInteger) {
				t.Fatalf("incr on %q: %v, want ErrNotInteger", v, err)
			}
			if got, ok := mustGet(t, kv, "s"); !ok || got != v {
				t.Fatalf("after a failed incr s = %q, %v, want it untouched", got, ok)
			}
		}
		mustSet(t, kv, "marker", "m", 20*time.Millisecond)
		eventually(t, "marker expires", gone(t, kv, "marker"))
		if _, ok := mustGet(t, kv, "s"); !ok {
			t.Fatal("a failed incr with a ttl set an expiry")
		}
	})
}

// incr keeps a key's expiry, as Redis's INCRBY does; a ttl only gives an
// expiry to a key that has none (a new key, or one set without a ttl), as
// INCR followed by EXPIRE NX does: a fixed window from the first increment,
// never re-armed by later ones.
func TestIncrExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		mustIncr(t, kv, "window", 1, 150*time.Millisecond)
		mustIncr(t, kv, "kept", 1, 150*time.Millisecond)
		mustIncr(t, kv, "kept", 1, 0) // no ttl: the expiry stays
		mustSet(t, kv, "plain", "1", 0)
		mustIncr(t, kv, "plain", 1, 150*time.Millisecond) // an expiry where there was none
		mustIncr(t, kv, "forever", 1, 0)
		for range 3 {
			mustIncr(t, kv, "window", 1, time.Hour) // does not re-arm or lengthen the window
		}
		eventually(t, "window expires", gone(t, kv, "window"))
		eventually(t, "kept expires", gone(t, kv, "kept"))
		eventually(t, "plain expires", gone(t, kv, "plain"))
		if v, ok := mustGet(t, kv, "forever"); !ok || v != "1" {
			t.Fatalf("forever = %q, %v: incr without a ttl set an expiry", v, ok)
		}
		if n := mustIncr(t, kv, "window", 1, time.Hour); n != 1 { // a new window
			t.Fatalf("incr after the window = %d, want 1", n)
		}
	})
}

func TestKeysPrefixes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, kv bindings.KV) {
		for _, k := range []string{"user:2", "user:1", "users", "a*b:1", "a*b:2", "axb:1", "a?c", "abc",
			"a[b]:1", "ab:1", `a\b`, `a\\b`, "z"} {
			mustSet(t, kv, k, "v", 0)
		}
		cases := map[string][]string{
			"user:":  {"user:1", "user:2"},
			"a*b:":   {"a*b:1", "a*b:2"},
			"a?":     {"a?c"},
			"a[b]":   {"a[b]:1"},
			`a\`:     {`a\\b`, `a\b`},
			`a\\`:    {`a\\b`},
			"nope":   {},
			"z":      {"z"},
			"user:1": {"user:1"},
		}
		for prefix, want := range cases {
			if got := mustKeys(t, kv, prefix); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("keys(%q) = %q, want %q", prefix, got, want)
			}
		}
		all := mustKeys(t, kv, "")
		if len(all) != 13 || !slices.IsSorted(all) {
			t.Errorf("keys() = %q, want all 13 sorted", all)
		}
	})
}
