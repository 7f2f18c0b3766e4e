package bindings

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// testEnv is what a test gives a state: a Runtime's capabilities and
// the scope its code runs under (set directly, as no host runs it).
type testEnv struct {
	Script          string
	Logger          *slog.Logger
	KV              KV
	Clock           Clock
	Nodes           func(name string) Commander
	Loop            Loop
	OnCallbackError func(what, call string, err error)

	Node, CallUUID string
	ESL            Commander
	Context        func() context.Context
}

// runtime returns a Runtime with env's capabilities and scope.
func (env *testEnv) runtime() *Runtime {
	rt := &Runtime{Script: env.Script, Logger: env.Logger, KV: env.KV, Clock: env.Clock,
		Nodes: env.Nodes, Loop: env.Loop, OnCallbackError: env.OnCallbackError}
	var ctx context.Context
	if env.Context != nil {
		ctx = env.Context()
	}
	rt.scope = NewScope(env.Node, env.CallUUID, env.ESL).WithContext(ctx)
	return rt
}

// newTestState returns a state with the safe libs and every module
// preloaded for env's Runtime; it is closed when the test ends.
func newTestState(t *testing.T, env *testEnv) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	NewRegistry().Preload(L, env.runtime())
	return L
}

// run executes Lua code and fails the test on error.
func run(t *testing.T, L *lua.LState, code string) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		t.Fatalf("lua: %v", err)
	}
}

// global reads a global as a string ("nil" for nil).
func global(L *lua.LState, name string) string {
	return L.GetGlobal(name).String()
}

// capture returns a logger writing JSON lines to the returned buffer.
func capture() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	h := slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})
	return slog.New(h), buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeClock is a virtual Clock: After fires when Advance passes its time.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	added   chan struct{} // signalled on every After
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1_700_000_000, 0), added: make(chan struct{}, 1024)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.added <- struct{}{}
	return ch
}

// Advance moves time forward and fires due waiters.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !c.now.Before(w.at) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// awaitAfter waits until After has been called n more times.
func (c *fakeClock) awaitAfter(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-c.added:
		case <-time.After(5 * time.Second):
			t.Fatal("clock: no timer was started")
		}
	}
}

func contains(s, sub string) bool { return bytes.Contains([]byte(s), []byte(sub)) }
