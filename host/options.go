package host

import (
	"context"
	"log/slog"
	"net/netip"
	"runtime"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// Defaults applied by New to zero Options fields.
const (
	// DefaultHandlerBudget bounds one event handler, init or timer run.
	DefaultHandlerBudget = 5 * time.Second
	// DefaultSessionBudget bounds one outbound call's script.
	DefaultSessionBudget = 4 * time.Hour
	// DefaultQueueSize is how many events may wait per worker.
	DefaultQueueSize = 65536
	// DefaultScriptQueue is how many events may wait for one script.
	DefaultScriptQueue = 16384
	// DefaultScriptQueueBytes is how much memory the events waiting for
	// one script may hold (64 MiB).
	DefaultScriptQueueBytes = 64 << 20
	// DefaultDrainCause is the hangup cause of calls Shutdown cuts off.
	DefaultDrainCause = "SYSTEM_SHUTDOWN"
)

// Options configure a Host. The zero value of every field but ScriptsDir
// picks a default.
type Options struct {
	// ScriptsDir is the directory the scripts are loaded from.
	ScriptsDir string
	// Registry lists the Lua modules scripts may require (nil: the built-ins).
	Registry *bindings.Registry
	// Sandbox is the sandbox policy for every Lua state.
	Sandbox Sandbox
	// Logger receives the host's logs (nil: discard).
	Logger *slog.Logger
	// HandlerBudget bounds one event handler, init or timer run
	// (DefaultHandlerBudget when zero).
	HandlerBudget time.Duration
	// SessionBudget bounds one outbound call's script
	// (DefaultSessionBudget when zero).
	SessionBudget time.Duration
	// Limits bound every run of a script beyond its time budget: busy
	// time, memory, the strings library calls build (defaults for zero
	// fields).
	Limits ScriptLimits
	// Workers is the number of event dispatch workers (GOMAXPROCS when zero).
	Workers int
	// QueueSize is how many events may wait per worker before new ones
	// are dropped (DefaultQueueSize when zero).
	QueueSize int
	// ScriptQueue caps the events waiting for one script (over all
	// workers); past it that script's new events are dropped while other
	// scripts still get theirs (DefaultScriptQueue when zero).
	ScriptQueue int
	// ScriptQueueBytes caps what the events waiting for one script may
	// hold in memory: each costs its wire size plus about 320 B (the
	// parsed copy and its queue slot); past the cap that script's new
	// events are dropped like past ScriptQueue (DefaultScriptQueueBytes
	// when zero).
	ScriptQueueBytes int64
	// KV is the store shared by every script (in-memory when nil).
	KV bindings.KV
	// Clock is the time source of timers (real time when nil).
	Clock bindings.Clock
	// Observer receives measurements (NopObserver when nil).
	Observer Observer
	// DrainCause is the hangup cause Shutdown gives calls still running when
	// its context expires (DefaultDrainCause when empty).
	DrainCause string
	// WatchDebounce is how long Watch waits for file changes to settle
	// (DefaultDebounce when zero).
	WatchDebounce time.Duration
	// SessionTracer, if set, wraps each outbound call in a trace span.
	SessionTracer SessionTracer
	// WrapCommander, if set, wraps every Commander handed to scripts, for
	// example to time commands or trace them.
	WrapCommander func(node string, c bindings.Commander) bindings.Commander
	// Ownership, if set, makes this host one instance of a fleet: it says
	// which events run here (see Ownership; package fleet).
	Ownership Ownership
	// StatePerCall gives every call Lua states of its own, for tests: the
	// consumer events of one call (one Unique-ID; events without one, one
	// Event-Name) run on a state made for them, and every outbound call
	// on a fresh state (no state is reused). In production which events
	// and calls share a state depends on the load (one state per worker
	// and script, idle call states reused), so what a script keeps in
	// top-level locals is per state, never per process; with this option
	// a test sees that every time. States then live until their
	// generation is retired: not for production.
	StatePerCall bool
}

// SessionTracer starts a span for one outbound call; end is called with
// the call's cause label when the script is done.
type SessionTracer interface {
	StartSession(ctx context.Context, listener, script, uuid string) (_ context.Context, end func(cause string))
}

// ListenerOptions configure one outbound listener (ServeOutbound).
type ListenerOptions struct {
	// Name labels the listener in logs, metrics and Status.
	Name string
	// Script runs for calls that do not name one in the channel variable
	// eslscript_script.
	Script string
	// MaxCalls caps concurrent calls on this listener (0 = unlimited).
	MaxCalls int
	// Allow lists the peer networks that may connect; when empty, only
	// loopback peers may (FreeSWITCH's socket peers are known addresses:
	// list them; 0.0.0.0/0 and ::/0 admit everyone).
	Allow []netip.Prefix
	// Node names the FreeSWITCH these calls come from (default: Name).
	Node string
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	o.HandlerBudget = orDuration(o.HandlerBudget, DefaultHandlerBudget)
	o.SessionBudget = orDuration(o.SessionBudget, DefaultSessionBudget)
	o.Limits = o.Limits.withDefaults()
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.ScriptQueue <= 0 {
		o.ScriptQueue = DefaultScriptQueue
	}
	if o.ScriptQueueBytes <= 0 {
		o.ScriptQueueBytes = DefaultScriptQueueBytes
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	if o.DrainCause == "" {
		o.DrainCause = DefaultDrainCause
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	return o
}

func orDuration(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
