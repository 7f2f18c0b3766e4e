package rediskv_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/bindings/rediskv"
	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
)

// quiet drops the Redis client's own messages (a stopped server makes
// many).
var quiet = slog.New(slog.DiscardHandler)

// testWait bounds every wait of these tests.
const testWait = 5 * time.Second

// backend builds a fresh, empty store for one test.
type backend struct {
	name string
	open func(t *testing.T) bindings.KV
}

// backends are the stores every conformance test runs against: the
// in-process one and Redis, without and with a namespace holding glob
// characters.
func backends() []backend {
	return []backend{
		{"memory", func(*testing.T) bindings.KV { return bindings.NewMemoryKV(nil) }},
		{"redis", func(t *testing.T) bindings.KV { return newStore(t, rediskvtest.Start(t, rediskvtest.Options{}), "") }},
		{"redis-namespace", func(t *testing.T) bindings.KV {
			return newStore(t, rediskvtest.Start(t, rediskvtest.Options{}), `ns*[1]?\:`)
		}},
	}
}

// newStore opens a Store on srv, closed when t ends.
func newStore(t *testing.T, srv *rediskvtest.Server, prefix string) *rediskv.Store {
	t.Helper()
	s := rediskv.New(rediskv.Options{Address: srv.Address, Prefix: prefix, Timeout: time.Second, Logger: quiet})
	t.Cleanup(func() { s.Close() })
	return s
}

// eventually polls cond until it holds, failing t after testWait. Used
// where the store announces nothing (a key expiring).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, testWait)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// mustGet returns key's value and presence, failing t on a store error.
func mustGet(t *testing.T, kv bindings.KV, key string) (string, bool) {
	t.Helper()
	v, ok, err := kv.GetContext(context.Background(), key)
	if err != nil {
		t.Fatalf("get %q: %v", key, err)
	}
	return v, ok
}

// mustSet stores key, failing t on a store error.
func mustSet(t *testing.T, kv bindings.KV, key, value string, ttl time.Duration) {
	t.Helper()
	if err := kv.SetContext(context.Background(), key, value, ttl); err != nil {
		t.Fatalf("set %q: %v", key, err)
	}
}

// mustIncr increments key, failing t on a store error.
func mustIncr(t *testing.T, kv bindings.KV, key string, delta int64, ttl time.Duration) int64 {
	t.Helper()
	n, err := kv.IncrContext(context.Background(), key, delta, ttl)
	if err != nil {
		t.Fatalf("incr %q: %v", key, err)
	}
	return n
}

// mustKeys lists keys, failing t on a store error.
func mustKeys(t *testing.T, kv bindings.KV, prefix string) []string {
	t.Helper()
	keys, err := kv.KeysContext(context.Background(), prefix)
	if err != nil {
		t.Fatalf("keys %q: %v", prefix, err)
	}
	return keys
}

// gone reports whether key is no longer set.
func gone(t *testing.T, kv bindings.KV, key string) func() bool {
	return func() bool { _, ok := mustGet(t, kv, key); return !ok }
}

// newStoreWith opens a Store on srv with timeout, closed when t ends.
func newStoreWith(t *testing.T, srv *rediskvtest.Server, timeout time.Duration) *rediskv.Store {
	t.Helper()
	s := rediskv.New(rediskv.Options{Address: srv.Address, Timeout: timeout, Logger: quiet})
	t.Cleanup(func() { s.Close() })
	return s
}

// contains is strings.Contains.
func contains(s, sub string) bool { return strings.Contains(s, sub) }

// errorsIs is errors.Is.
func errorsIs(err, target error) bool { return errors.Is(err, target) }
