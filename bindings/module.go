package bindings

import (
	"context"
	"log/slog"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Module is one Lua module, loaded by require(Name). Open builds the
// module's table for one Lua state; env is that state's environment and
// stays valid for the state's life (its fields may be updated between
// handler calls by the host, e.g. Node and CallUUID).
type Module struct {
	Name string
	Open func(L *lua.LState, env *Env) *lua.LTable
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

// Loop runs callbacks on the goroutine that owns a Lua state. Post returns
// false when the loop is gone (the state was closed); the callback is then
// dropped.
type Loop interface {
	Post(fn func(L *lua.LState)) bool
}

// Env is the per-Lua-state environment the modules act on. The host fills
// it; a nil field means the capability is absent (for example no
// FreeSWITCH connection), and functions needing it return nil, err.
type Env struct {
	// Script is the script's name (file name without .lua).
	Script string
	// Node is the FreeSWITCH node of the event or call being handled.
	Node string
	// CallUUID is the call being handled, if any.
	CallUUID string
	// Logger is the host's logger; modules add script, call and node.
	Logger *slog.Logger
	// ESL sends commands to FreeSWITCH (current node).
	ESL Commander
	// Nodes looks up another node's Commander by name (may be nil).
	Nodes func(name string) Commander
	// KV is the process-wide shared store.
	KV KV
	// Clock is the time source (real time when nil).
	Clock Clock
	// Loop runs timer callbacks on the state's own goroutine.
	Loop Loop
	// Context returns the context of the running handler (its time budget,
	// the call's life); context.Background when nil.
	Context func() context.Context
	// Done, when closed, stops every timer of the state (the host closes it
	// when the state is closed). StopTimers does the same on demand.
	Done <-chan struct{}
	// OnCallbackError, when set, receives the error raised by a callback
	// the script handed to a binding (what: "timer" or "bgapi"; call: the
	// call uuid when the callback was registered), so that the host counts
	// and logs it as a failed run. Unset, the binding logs it.
	OnCallbackError func(what, call string, err error)
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
