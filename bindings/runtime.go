package bindings

import (
	"context"
	"log/slog"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Runtime is the one object a Lua state's modules act on; a module author
// reads this file. The host makes one per state, before the state's
// modules are opened, and it lives as long as the state:
//
//   - what the state may reach, fixed when the Runtime is made: the
//     exported fields below (a nil field means the capability is absent,
//     and functions needing it return nil, err);
//   - the scope of the run in progress (Scope: context, node, call,
//     commander), which only Run sets, for the length of one function;
//   - Defer, which schedules a callback under the scope of the run that
//     scheduled it, on the goroutine owning the state;
//   - End and Close, with the hooks a module registers to release what a
//     run or the state holds (timers, call legs, subscriptions).
//
// Every method but Deferred.Post and Done must be called on the goroutine
// that owns the state.
type Runtime struct {
	// Script is the script's name (file name without .lua).
	Script string
	// Logger is the host's logger (slog.Default when nil); modules add
	// the script, call and node to their lines.
	Logger *slog.Logger
	// KV is the process-wide shared store.
	KV KV
	// Clock is the time source of timers and waits (real time when nil).
	Clock Clock
	// Nodes looks up a FreeSWITCH node's Commander by name (may be nil).
	Nodes func(name string) Commander
	// Loop runs deferred callbacks on the goroutine owning the state; nil
	// when the state has none (timers and bgapi callbacks then fail with
	// ErrNoLoop).
	Loop Loop
	// OnCallbackError, when set, receives the error raised by a deferred
	// callback the script handed to a binding (what: "timer" or "bgapi";
	// call: the call of the run that scheduled it), so that the host
	// counts and logs it as a failed run. Unset, the binding logs it.
	OnCallbackError func(what, call string, err error)

	scope Scope // the run in progress (Run)

	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by Close (made on first use)
	ends   []func()      // OnEnd hooks, run by End
	closes []func()      // OnClose hooks, run by Close
}

// Scope is what a run acts for: the context its blocking bindings wait
// under, the FreeSWITCH node and call of the event or session it handles,
// and the commander its esl functions send through. It is a value: a
// Runtime's scope changes only through Run, for one function.
type Scope struct {
	ctx  context.Context
	node string
	call string
	esl  Commander
}

// NewScope returns the scope of a run: node and call name its FreeSWITCH
// node and call ("" when none), esl sends its commands (nil: esl
// functions fail with ErrNoESL). Its context is context.Background until
// WithContext gives it the run's.
func NewScope(node, call string, esl Commander) Scope {
	return Scope{node: node, call: call, esl: esl}
}

// Context returns the context the run's blocking bindings wait under.
func (sc Scope) Context() context.Context {
	if sc.ctx == nil {
		return context.Background()
	}
	return sc.ctx
}

// WithContext returns sc with ctx as the context its blocking bindings
// wait under: a host gives a run's scope the context it makes for the
// run.
func (sc Scope) WithContext(ctx context.Context) Scope {
	sc.ctx = ctx
	return sc
}

// Node returns the run's FreeSWITCH node ("" when none).
func (sc Scope) Node() string { return sc.node }

// Call returns the run's call uuid ("" when none).
func (sc Scope) Call() string { return sc.call }

// Commander returns what the run's esl functions send through (nil when
// none).
func (sc Scope) Commander() Commander { return sc.esl }

// Run runs fn with sc as the scope of the run in progress and restores
// the scope it replaced when fn returns (or panics). It is the only way to
// set a Runtime's scope.
func (rt *Runtime) Run(sc Scope, fn func()) {
	prev := rt.scope
	rt.scope = sc
	defer rt.restore(prev)
	fn()
}

func (rt *Runtime) restore(sc Scope) { rt.scope = sc }

// Scope returns the scope of the run in progress (the zero Scope outside
// Run).
func (rt *Runtime) Scope() Scope { return rt.scope }

// Deferred is a callback slot holding the scope of the run that made it
// (Runtime.Defer): a timer, a bgapi result.
type Deferred struct {
	rt    *Runtime
	scope Scope
}

// Defer captures the scope of the run in progress for callbacks posted
// later, from any goroutine, through the Deferred.
func (rt *Runtime) Defer() Deferred { return Deferred{rt: rt, scope: rt.scope} }

// Post queues fn to run on the goroutine owning the state, under the
// captured node, call and commander and the context of the run that
// executes it (its budget). It may be called from any goroutine and never
// blocks. It returns false only when the state is closed (or its Loop is
// gone with it); fn is then dropped. A Runtime without a Loop takes no
// callback: check for one (ErrNoLoop) before scheduling.
func (d Deferred) Post(fn func(L *lua.LState)) bool {
	rt := d.rt
	if rt.Loop == nil || rt.isClosed() {
		return false
	}
	return rt.Loop.Post(func(L *lua.LState) {
		sc := d.scope
		sc.ctx = rt.scope.ctx
		rt.Run(sc, func() { fn(L) })
	})
}

// OnEnd registers fn to run at the next End (or Close): what a run holds
// until the work the state was lent for is over (timers, call legs).
func (rt *Runtime) OnEnd(fn func()) {
	rt.mu.Lock()
	rt.ends = append(rt.ends, fn)
	rt.mu.Unlock()
}

// End ends the work the state was lent for (an outbound call's script, a
// one-shot run): the OnEnd hooks run, latest first, and are forgotten.
// The state stays usable; a pooled state serves a later call.
func (rt *Runtime) End() {
	rt.mu.Lock()
	ends := rt.ends
	rt.ends = nil
	rt.mu.Unlock()
	for i := len(ends) - 1; i >= 0; i-- {
		ends[i]()
	}
}

// OnClose registers fn to run when the state is closed.
func (rt *Runtime) OnClose(fn func()) {
	rt.mu.Lock()
	rt.closes = append(rt.closes, fn)
	rt.mu.Unlock()
}

// Close ends the state's work for good: End, then the OnClose hooks
// (latest first); from then on Deferred.Post returns false and Done is
// closed. Later calls do nothing.
func (rt *Runtime) Close() {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return
	}
	rt.closed = true
	rt.doneLocked()
	close(rt.done)
	closes := rt.closes
	rt.closes = nil
	rt.mu.Unlock()
	rt.End()
	for i := len(closes) - 1; i >= 0; i-- {
		closes[i]()
	}
}

// Done is closed by Close: a goroutine a module starts for the state (a
// timer, a subscription) ends on it. Safe from any goroutine.
func (rt *Runtime) Done() <-chan struct{} {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.doneLocked()
}

func (rt *Runtime) doneLocked() chan struct{} {
	if rt.done == nil {
		rt.done = make(chan struct{})
	}
	return rt.done
}

func (rt *Runtime) isClosed() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.closed
}

// ctx returns the context of the run in progress.
func (rt *Runtime) ctx() context.Context { return rt.scope.Context() }

// clock returns the runtime's clock, real time when unset.
func (rt *Runtime) clock() Clock {
	if rt.Clock == nil {
		return realClock{}
	}
	return rt.Clock
}

// logger returns the host logger, slog.Default when unset.
func (rt *Runtime) logger() *slog.Logger {
	if rt.Logger == nil {
		return slog.Default()
	}
	return rt.Logger
}

// callbackFailed reports err, raised by a deferred callback of kind what
// scheduled by a run of call: to OnCallbackError, else to the log.
func (rt *Runtime) callbackFailed(what, call string, err error) {
	if rt.OnCallbackError != nil {
		rt.OnCallbackError(what, call, err)
		return
	}
	rt.logger().Error("bindings: "+what+" callback failed", append(runArgs(rt), "error", err.Error())...)
}

// pending returns the loop's callback channel, or nil when the loop cannot
// be pumped from a blocking call.
func (rt *Runtime) pending() <-chan func(*lua.LState) {
	if p, ok := rt.Loop.(pumper); ok {
		return p.Pending()
	}
	return nil
}

// after returns a channel firing after ms milliseconds, or nil (never) when
// no timeout was given.
func (rt *Runtime) after(ms int, given bool) <-chan time.Time {
	if !given {
		return nil
	}
	return rt.clock().After(time.Duration(ms) * time.Millisecond)
}

const runtimeKey = "eslscript.runtime"

// bind records rt as L's Runtime (Registry.Preload).
func (rt *Runtime) bind(L *lua.LState) {
	ud := L.NewUserData()
	ud.Value = rt
	L.G.Registry.RawSetString(runtimeKey, ud)
}

// runtimeOf returns L's Runtime, nil when none was bound.
func runtimeOf(L *lua.LState) *Runtime {
	if ud, ok := L.G.Registry.RawGetString(runtimeKey).(*lua.LUserData); ok {
		rt, _ := ud.Value.(*Runtime)
		return rt
	}
	return nil
}

// realClock is the wall clock.
type realClock struct{}

// Now implements Clock.
func (realClock) Now() time.Time { return time.Now() }

// After implements Clock.
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
