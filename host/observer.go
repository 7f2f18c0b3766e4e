package host

import "time"

// Observer receives the host's measurements, for metrics. Every label it is
// given is bounded: script names, handler keys, listener names, node names,
// event names and fixed reason words, never a call uuid. Its methods are
// called from many goroutines at once and must not block.
type Observer interface {
	// EventReceived is called for every event a node delivers.
	EventReceived(node, name string)
	// EventDispatched is called when an event is queued for a script's handler.
	EventDispatched(script, handler string)
	// EventDropped is called when an event meant for script is dropped
	// (reason "queue_full" or "shutdown").
	EventDropped(script, reason string)
	// HandlerDone is called after every Lua entry point run. handler is the
	// event key ("CHANNEL_ANSWER", "sofia::register", "*"), "init",
	// "session", "timer:<name>" or "callback" (a binding's callback); err
	// is nil on success, budgetKilled reports that the time budget (or
	// Shutdown) stopped it.
	HandlerDone(script, handler string, dur time.Duration, err error, budgetKilled bool)
	// SessionStarted is called when an outbound call starts running script.
	SessionStarted(listener, script string)
	// SessionEnded is called when an outbound call's script returns; cause
	// is "budget" or "error" when the script was stopped or raised, else
	// the call's hangup cause when it hung up before the script returned
	// (FreeSWITCH's name, e.g. "NORMAL_CLEARING"), else "ok".
	SessionEnded(listener, script, cause string)
	// SessionRejected is called for an outbound connection that runs no
	// script; reason is "not_allowed", "max_calls", "shutting_down",
	// "no_script" or "other".
	SessionRejected(listener, reason string)
	// Reload is called after every reload attempt that was not a no-op; gen
	// is the generation running afterwards.
	Reload(ok bool, gen uint64)
	// DispatchLag reports the time from an event's receipt to the start of
	// its first handler.
	DispatchLag(d time.Duration)
}

// NopObserver is an Observer that ignores everything; the default.
type NopObserver struct{}

// EventReceived implements Observer.
func (NopObserver) EventReceived(node, name string) {}

// EventDispatched implements Observer.
func (NopObserver) EventDispatched(script, handler string) {}

// EventDropped implements Observer.
func (NopObserver) EventDropped(script, reason string) {}

// HandlerDone implements Observer.
func (NopObserver) HandlerDone(script, handler string, dur time.Duration, err error, budgetKilled bool) {
}

// SessionStarted implements Observer.
func (NopObserver) SessionStarted(listener, script string) {}

// SessionEnded implements Observer.
func (NopObserver) SessionEnded(listener, script, cause string) {}

// SessionRejected implements Observer.
func (NopObserver) SessionRejected(listener, reason string) {}

// Reload implements Observer.
func (NopObserver) Reload(ok bool, gen uint64) {}

// DispatchLag implements Observer.
func (NopObserver) DispatchLag(d time.Duration) {}

var _ Observer = NopObserver{}
