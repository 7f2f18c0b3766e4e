package bindings

import (
	"context"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Module is one Lua module, loaded by require(Name). Open builds the
// module's table for one Lua state; rt is that state's Runtime (see
// runtime.go), valid for the state's life: read the run in progress from
// rt.Scope() when a function runs, never when the module is opened.
type Module struct {
	Name string
	Open func(L *lua.LState, rt *Runtime) *lua.LTable
}

// Commander is what the esl module sends commands through: an inbound
// client (*esl.Client) or an outbound session's connection (*esl.Conn).
type Commander interface {
	Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error)
	API(ctx context.Context, cmd string) (string, error)
	BgAPI(ctx context.Context, cmd string) (*esl.Job, error)
}

// Clock is the time source of timers and waits; tests swap in a virtual one.
type Clock interface {
	Now() time.Time
	// After behaves like time.After.
	After(d time.Duration) <-chan time.Time
}

// Loop runs callbacks on the goroutine that owns a Lua state (the host
// gives each Runtime one). Post never blocks and returns false only when
// the loop is gone (the state was closed); the callback is then dropped.
// Modules schedule through Runtime.Defer, not the Loop itself.
type Loop interface {
	Post(fn func(L *lua.LState)) bool
}

// KV is shared state for all scripts, with expiry: the kv module's
// backend. MemoryKV keeps it in the process; a networked backend (see
// package rediskv) shares it between processes. Every method is bounded
// by ctx and reports a backend failure (store down, timeout) as an error;
// a backend that cannot fail may ignore ctx. A ttl <= 0 means no expiry.
type KV interface {
	// GetContext returns the value of key and whether it is set.
	GetContext(ctx context.Context, key string) (string, bool, error)
	// SetContext stores value under key, replacing its value and expiry.
	SetContext(ctx context.Context, key, value string, ttl time.Duration) error
	// DeleteContext removes key (a missing key is not an error).
	DeleteContext(ctx context.Context, key string) error
	// IncrContext adds delta to an integer value (missing = 0) and returns
	// the result; ErrNotInteger when the value is not an integer. It keeps
	// the key's expiry; a ttl > 0 gives one to a key that has none (a new
	// key, or one set without a ttl), as Redis's INCRBY then EXPIRE NX.
	IncrContext(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
	// KeysContext returns the live keys starting with prefix, sorted.
	KeysContext(ctx context.Context, prefix string) ([]string, error)
}
