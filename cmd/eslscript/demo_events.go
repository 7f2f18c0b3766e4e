package main

import (
	"context"
	"sync"
	"time"

	"github.com/eslscript/eslscript/host"
)

// eventCounter is the demo's host.Observer: it counts the events the host
// receives, so that the demo waits for its events to arrive before it
// shuts the host down (Shutdown handles every event received by then).
type eventCounter struct {
	host.NopObserver

	mu      sync.Mutex
	counts  map[string]int
	last    time.Time
	changed chan struct{} // closed and replaced on every event
}

func newEventCounter() *eventCounter {
	return &eventCounter{counts: map[string]int{}, changed: make(chan struct{})}
}

// EventReceived implements host.Observer.
func (ec *eventCounter) EventReceived(_, name string) {
	ec.mu.Lock()
	defer ec.mu.Unlock()
	ec.counts[name]++
	ec.last = time.Now()
	close(ec.changed)
	ec.changed = make(chan struct{})
}

// snapshot returns the counts so far.
func (ec *eventCounter) snapshot() map[string]int {
	ec.mu.Lock()
	defer ec.mu.Unlock()
	out := make(map[string]int, len(ec.counts))
	for k, v := range ec.counts {
		out[k] = v
	}
	return out
}

// waitCounts waits until every name reached its count, or ctx ends.
func (ec *eventCounter) waitCounts(ctx context.Context, want map[string]int) bool {
	for {
		ec.mu.Lock()
		ok, ch := ec.reachedLocked(want), ec.changed
		ec.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

func (ec *eventCounter) reachedLocked(want map[string]int) bool {
	for name, n := range want {
		if ec.counts[name] < n {
			return false
		}
	}
	return true
}

// settle waits until no event arrived for quiet (the tail of the last
// call's events), or ctx ends.
func (ec *eventCounter) settle(ctx context.Context, quiet time.Duration) {
	for {
		ec.mu.Lock()
		idle := time.Since(ec.last)
		ec.mu.Unlock()
		if idle >= quiet {
			return
		}
		select {
		case <-time.After(quiet - idle):
		case <-ctx.Done():
			return
		}
	}
}
