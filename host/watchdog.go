package host

import (
	"context"
	"sync"
	"time"
)

// watchdog bounds the calls one worker makes, one at a time, without a
// timer or context per call: the worker marks each call's start and end,
// and a single lazily armed timer cancels the worker's context only when
// the call running at that moment has passed its budget. A tick that
// finds a later call (or none) re-arms for that call's remaining time or
// stops, so a late tick never cancels the next handler. After a kill the
// worker gets a fresh context for its next call.
type watchdog struct {
	parent context.Context
	budget time.Duration
	lane   *lane // the worker's lane (nil: not guarded)

	mu      sync.Mutex
	seq     uint64   // number of the running (or last) call
	running bool     // a call is between begin and end
	started monoTime // start of the running call
	armed   bool     // the timer is pending
	timer   *time.Timer
	ctx     context.Context // budgetCtx of the calls until the next kill
	cancel  context.CancelCauseFunc
}

// newWatchdog returns a watchdog for calls bounded by budget and by
// parent; their contexts mark l (may be nil) executing and waiting.
func newWatchdog(parent context.Context, budget time.Duration, l *lane) *watchdog {
	d := &watchdog{parent: parent, budget: budget, lane: l}
	d.renew()
	d.timer = time.AfterFunc(time.Hour, d.tick)
	d.timer.Stop()
	return d
}

// begin marks the start of a call and returns its context, which ends
// when the call overruns the budget (cause context.DeadlineExceeded) or
// parent ends.
func (d *watchdog) begin() context.Context { return d.beginAt(monoNow()) }

// beginAt is begin for a call starting at now (read by the caller).
func (d *watchdog) beginAt(now monoTime) context.Context {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++
	d.running, d.started = true, now
	if !d.armed {
		d.armed = true
		d.timer.Reset(d.budget)
	}
	return d.ctx
}

// end marks the end of the call begin started.
func (d *watchdog) end() {
	d.mu.Lock()
	d.running = false
	d.mu.Unlock()
}

// tick runs on the timer: it kills the running call if it overran, else
// re-arms for the running call's remaining budget.
func (d *watchdog) tick() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.armed = false
	if !d.running {
		return
	}
	if left := d.budget - d.started.since(); left > 0 {
		d.armed = true
		d.timer.Reset(left)
		return
	}
	d.cancel(context.DeadlineExceeded)
	d.renew()
}

// stopRun cancels the running call with cause if on (called under the
// watchdog's lock) says it is still the call meant; the next call gets a
// fresh context.
func (d *watchdog) stopRun(on func() bool, cause error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running && on() {
		d.cancel(cause)
		d.renew()
	}
}

// renew gives the watchdog a fresh context (boxed once, not per call).
func (d *watchdog) renew() {
	ctx, cancel := context.WithCancelCause(d.parent)
	d.ctx, d.cancel = newBudgetCtx(ctx, d.lane), cancel
}

// stop releases the timer and the current context.
func (d *watchdog) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timer.Stop()
	d.armed = false
	d.cancel(context.Canceled)
}

// budgetCtx is the context a Lua state runs under. Err reports
// context.DeadlineExceeded when the watchdog killed the call, as a
// context.WithTimeout would, and the *stopError when the guard stopped
// it. Its Done channel is fetched once: the Lua VM polls Done before
// every instruction, which also marks the lane as executing Lua.
type budgetCtx struct {
	context.Context
	done <-chan struct{}
	lane *lane    // nil: not guarded
	wait *waitCtx // what bindings wait under (nil without lane)
}

// newBudgetCtx wraps ctx, marking l (may be nil).
func newBudgetCtx(ctx context.Context, l *lane) *budgetCtx {
	c := &budgetCtx{Context: ctx, done: ctx.Done(), lane: l}
	if l != nil {
		c.wait = &waitCtx{budgetCtx: c}
	}
	return c
}

// Done is the embedded context's Done channel. The VM calls it before
// every instruction: it marks a waiting lane as executing Lua again.
func (c *budgetCtx) Done() <-chan struct{} {
	if l := c.lane; l != nil && l.waiting.Load() {
		l.resume()
	}
	return c.done
}

// Err is the embedded context's error, DeadlineExceeded for a budget kill
// and the guard's *stopError for a stop (which is neither Canceled nor
// DeadlineExceeded: the run was not cancelled by its caller).
func (c *budgetCtx) Err() error {
	err := c.Context.Err()
	if err == nil {
		return nil
	}
	cause := context.Cause(c.Context)
	if _, ok := cause.(*stopError); ok || cause == context.DeadlineExceeded {
		return cause
	}
	return err
}

// waitCtx is the budgetCtx as bindings see it (Scope.Context): its Done,
// which a binding calls as it starts to wait, marks the lane as waiting.
type waitCtx struct {
	*budgetCtx
}

// Done marks the lane as waiting and returns the run's Done channel.
func (c *waitCtx) Done() <-chan struct{} {
	c.lane.wait()
	return c.done
}
