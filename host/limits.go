package host

import (
	"errors"
	"fmt"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// Defaults of ScriptLimits, applied to zero fields.
const (
	// DefaultBusyBudget bounds how long a run may execute Lua code
	// without waiting.
	DefaultBusyBudget = 5 * time.Second
	// DefaultMemoryLimit is the memory limit the runs are held to.
	DefaultMemoryLimit = 1 << 30
	// DefaultStringLimit is the longest string one library call may build.
	DefaultStringLimit = bindings.DefaultStringLimit
)

// Sentinel errors of runs stopped by ScriptLimits.
var (
	// ErrBusy means a run executed Lua code for longer than its busy
	// budget without waiting.
	ErrBusy = errors.New("host: busy budget exceeded")
	// ErrMemory means the process's heap passed the memory limit while the
	// run was executing Lua code.
	ErrMemory = errors.New("host: memory limit reached")
)

// ScriptLimits bound every Lua run (handler, init, timer, outbound call,
// one-shot file, a script's top level) beyond its wall-time budget. A
// negative value turns that bound off; zero picks the default.
type ScriptLimits struct {
	// BusyBudget bounds continuous execution of Lua code: a run that
	// executes Lua (or a library function) for that long without waiting
	// in a binding (a FreeSWITCH command, a session's media, a sleep, a
	// kv call, a job) is stopped with ErrBusy. Time spent waiting does
	// not count, so a long call that mostly waits is fine while a busy
	// loop is stopped (DefaultBusyBudget when zero).
	BusyBudget time.Duration
	// MemoryLimit bounds the process's memory, in bytes. When the Go heap
	// that survived the last collection passes 3/4 of it (or the heap in
	// use passes all of it), runs executing Lua code at that moment are
	// stopped with ErrMemory: those that have been executing for 50ms or
	// more, else the one executing for the longest; runs waiting in a
	// binding are left alone. The next stop waits for a collection after
	// those runs ended (DefaultMemoryLimit when zero). The heap is the
	// process's, shared by every Host and RunFile in it; the embedding
	// program should give the Go runtime SoftMemoryLimit as its soft
	// limit (debug.SetMemoryLimit), as eslscript does, so that the
	// collector works harder before the bound is reached.
	MemoryLimit int64
	// StringLimit is the longest string (or JSON text) one library call
	// may build: string.rep, string.format, string.gsub, table.concat,
	// os.date, json.encode (see bindings.LimitLibraries;
	// DefaultStringLimit when zero).
	StringLimit int
}

// SoftMemoryLimit is the soft limit to give the Go runtime
// (debug.SetMemoryLimit) for MemoryLimit: 3/4 of it, the bound at which
// runs are stopped (0 when MemoryLimit is off).
func (l ScriptLimits) SoftMemoryLimit() int64 {
	m := l.withDefaults().MemoryLimit
	if m <= 0 {
		return 0
	}
	return m / 4 * 3
}

// withDefaults fills the zero fields.
func (l ScriptLimits) withDefaults() ScriptLimits {
	if l.BusyBudget == 0 {
		l.BusyBudget = DefaultBusyBudget
	}
	if l.MemoryLimit == 0 {
		l.MemoryLimit = DefaultMemoryLimit
	}
	if l.StringLimit == 0 {
		l.StringLimit = DefaultStringLimit
	}
	return l
}

// stopError is why the guard stopped a run: ErrBusy or ErrMemory with
// the figures.
type stopError struct {
	kind   error
	detail string
}

func (e *stopError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e *stopError) Unwrap() error { return e.kind }

// stopped is the message of a stopped one-shot run: "stopped: busy
// budget exceeded: ...".
func (e *stopError) stopped() string {
	return "stopped: " + e.Error()[len("host: "):]
}

func busyError(ran, budget time.Duration) error {
	return &stopError{ErrBusy, fmt.Sprintf("ran Lua code for %v without waiting (busy budget %v)",
		ran.Round(time.Millisecond), budget)}
}

func memoryError(h heapReading, limit int64) error {
	return &stopError{ErrMemory, fmt.Sprintf("the heap (%s live, %s in use) passed the bound of %s (3/4 of the %s memory limit) while the run was executing Lua code",
		mib(h.live), mib(h.inUse), mib(limit*3/4), mib(limit))}
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }
