package daemon

import (
	"time"

	"github.com/eslscript/eslscript/host"
)

// teeObserver hands every measurement to both of its observers.
type teeObserver [2]host.Observer

// EventReceived implements host.Observer.
func (t teeObserver) EventReceived(node, name string) {
	t[0].EventReceived(node, name)
	t[1].EventReceived(node, name)
}

// EventDispatched implements host.Observer.
func (t teeObserver) EventDispatched(script, handler string) {
	t[0].EventDispatched(script, handler)
	t[1].EventDispatched(script, handler)
}

// EventDropped implements host.Observer.
func (t teeObserver) EventDropped(script, reason string) {
	t[0].EventDropped(script, reason)
	t[1].EventDropped(script, reason)
}

// HandlerDone implements host.Observer.
func (t teeObserver) HandlerDone(script, handler string, dur time.Duration, err error, budgetKilled bool) {
	t[0].HandlerDone(script, handler, dur, err, budgetKilled)
	t[1].HandlerDone(script, handler, dur, err, budgetKilled)
}

// SessionStarted implements host.Observer.
func (t teeObserver) SessionStarted(listener, script string) {
	t[0].SessionStarted(listener, script)
	t[1].SessionStarted(listener, script)
}

// SessionEnded implements host.Observer.
func (t teeObserver) SessionEnded(listener, script, cause string) {
	t[0].SessionEnded(listener, script, cause)
	t[1].SessionEnded(listener, script, cause)
}

// SessionRejected implements host.Observer.
func (t teeObserver) SessionRejected(listener, reason string) {
	t[0].SessionRejected(listener, reason)
	t[1].SessionRejected(listener, reason)
}

// Reload implements host.Observer.
func (t teeObserver) Reload(ok bool, gen uint64) {
	t[0].Reload(ok, gen)
	t[1].Reload(ok, gen)
}

// DispatchLag implements host.Observer.
func (t teeObserver) DispatchLag(d time.Duration) {
	t[0].DispatchLag(d)
	t[1].DispatchLag(d)
}
