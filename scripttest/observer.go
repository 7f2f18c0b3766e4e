package scripttest

import (
	"strings"
	"sync"
	"time"

	"github.com/eslscript/eslscript/host"
)

// sessionEnd is one finished outbound script run.
type sessionEnd struct {
	script, cause string
}

// observer is the host.Observer of a test world: it counts what the host
// did so that the runner knows when handlers have run, and wakes waiters
// on every change.
type observer struct {
	host.NopObserver
	mu       sync.Mutex
	received int              // events the node delivered to the host
	done     map[string]int   // handler runs finished, by handler key
	failed   []handlerFailure // failed handler runs but sessions
	ended    []sessionEnd     // finished sessions in order
	changes  uint64           // activity counter
	changed  chan struct{}    // closed and replaced on every change
}

// handlerFailure is one handler run that raised or ran out of budget.
type handlerFailure struct {
	script, handler, err string
}

func newObserver() *observer {
	return &observer{done: map[string]int{}, changed: make(chan struct{})}
}

// bumpLocked records a change; o.mu held.
func (o *observer) bumpLocked() {
	o.changes++
	close(o.changed)
	o.changed = make(chan struct{})
}

// EventReceived implements host.Observer.
func (o *observer) EventReceived(node, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.received++
	o.bumpLocked()
}

// HandlerDone implements host.Observer.
func (o *observer) HandlerDone(script, handler string, _ time.Duration, err error, _ bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done[handler]++
	if err != nil && handler != "session" {
		o.failed = append(o.failed, handlerFailure{script: script, handler: handler, err: firstLine(err.Error())})
	}
	o.bumpLocked()
}

// SessionEnded implements host.Observer.
func (o *observer) SessionEnded(_, script, cause string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ended = append(o.ended, sessionEnd{script: script, cause: cause})
	o.bumpLocked()
}

// SessionRejected implements host.Observer.
func (o *observer) SessionRejected(_, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ended = append(o.ended, sessionEnd{cause: "rejected: " + reason})
	o.bumpLocked()
}

// snapshot returns the activity counter and the channel closed at the
// next change.
func (o *observer) snapshot() (uint64, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.changes, o.changed
}

// eventRuns returns how many event handler runs finished.
func (o *observer) eventRuns() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for k, v := range o.done {
		if isEventKey(k) {
			n += v
		}
	}
	return n
}

// failures returns the failed handler runs after the first skip.
func (o *observer) failures(skip int) []handlerFailure {
	o.mu.Lock()
	defer o.mu.Unlock()
	if skip >= len(o.failed) {
		return nil
	}
	return append([]handlerFailure(nil), o.failed[skip:]...)
}

// failureCount returns how many handler runs (not sessions) failed so far.
func (o *observer) failureCount() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.failed)
}

// sessionsEnded returns the finished sessions so far.
func (o *observer) sessionsEnded() []sessionEnd {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]sessionEnd(nil), o.ended...)
}

// isEventKey reports whether a HandlerDone name is an event handler (not
// session, init, a timer or a posted callback).
func isEventKey(handler string) bool {
	switch {
	case handler == "session", handler == "init", handler == "callback":
		return false
	case strings.HasPrefix(handler, "timer:"):
		return false
	}
	return true
}

// firstLine returns s up to its first newline.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

var _ host.Observer = (*observer)(nil)
