package host

import "context"

// guardedRun is a run on a lane of its own: an outbound call, a timer or
// init run, a one-shot file, a script's top level.
type guardedRun struct {
	lane   *lane
	ctx    *budgetCtx
	cancel context.CancelCauseFunc
}

// startRun starts a run bounded by parent and watched by the guard with
// limits; ctx is what the Lua state runs under, ctx.wait what its
// bindings wait under. end must be called when the run is over.
func startRun(parent context.Context, limits ScriptLimits) *guardedRun {
	ctx, cancel := context.WithCancelCause(parent)
	l := &lane{limits: limits}
	l.stop = func(n uint64, cause error) {
		if l.on(n) {
			cancel(cause)
		}
	}
	l.begin()
	guard.add(l)
	return &guardedRun{lane: l, ctx: newBudgetCtx(ctx, l), cancel: cancel}
}

// end stops watching the run and releases its context.
func (r *guardedRun) end() {
	r.lane.end()
	guard.remove(r.lane)
	r.cancel(context.Canceled)
}

// newWorkerLane returns the lane of a worker, whose calls run under the
// watchdog's contexts: a stop cancels the call through the watchdog.
func newWorkerLane(limits ScriptLimits, dog func(l *lane) *watchdog) (*lane, *watchdog) {
	l := &lane{limits: limits}
	d := dog(l)
	l.stop = func(n uint64, cause error) { d.stopRun(func() bool { return l.on(n) }, cause) }
	guard.add(l)
	return l, d
}
