package esl

import (
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultQueue is the default Subscription queue length.
const DefaultQueue = 65536

// SubscribeOptions selects which events a Subscription gets.
type SubscribeOptions struct {
	// Filter, if set, keeps only events for which it returns true. It runs
	// on the reader goroutine and must be fast.
	Filter func(*Event) bool
	// Queue is the bounded queue length (default DefaultQueue, 65536).
	Queue int
	// Borrow asks for lent events: the receiver calls Event.Release once
	// it is done with each event (and must not use it afterwards), which
	// lets the connection reuse its read memory instead of allocating
	// more. Events are lent only while every consumer of the connection
	// borrows (see Event.Release); others are owned and Release does
	// nothing on them. Strings read from a lent event are copies.
	Borrow bool
}

// Subscription is a bounded, ordered event queue for one consumer. The
// reader never blocks on it: when the queue is full the event is dropped
// and counted (Dropped). Lag is observable through Len.
//
// Delivery policy: the connection's single reader goroutine hands each
// event to every subscription with a non-blocking send on a buffered
// channel of Queue slots. A consumer that falls Queue events behind loses
// the newest events (never older ones), and Dropped says how many. This is
// deliberate: FreeSWITCH kills a listener whose socket falls 100000 events
// behind, so a slow consumer must cost only its own events, never the
// connection, the command replies or the other subscribers. Events that
// are delivered keep wire order.
type Subscription struct {
	// C delivers events in wire order. It is closed when the subscription
	// ends (Close, or the connection ended).
	C <-chan *Event

	ch      chan *Event
	filter  func(*Event) bool
	borrow  bool
	dropped atomic.Uint64
	owner   *subSet

	mu     sync.Mutex // serializes deliver against close
	closed bool
}

// newSubscription builds an unregistered subscription.
func newSubscription(opts SubscribeOptions) *Subscription {
	n := opts.Queue
	if n <= 0 {
		n = DefaultQueue
	}
	ch := make(chan *Event, n)
	return &Subscription{C: ch, ch: ch, filter: opts.Filter, borrow: opts.Borrow}
}

// Dropped returns how many events were dropped because the queue was full.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Len returns how many events wait in the queue.
func (s *Subscription) Len() int { return len(s.ch) }

// Close ends the subscription. Events still queued stay readable from C
// until it is drained; then C reports closed.
func (s *Subscription) Close() {
	if s.owner != nil {
		s.owner.remove(s)
	}
	s.end()
}

// end closes the channel once.
func (s *Subscription) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}

// deliver offers ev without blocking; it counts a drop when full.
func (s *Subscription) deliver(ev *Event) {
	if s.filter != nil && !s.filter(ev) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	ev.borrow()
	select {
	case s.ch <- ev:
	default:
		s.dropped.Add(1)
		ev.Release()
	}
}

// subSet is a copy-on-write list of subscriptions: the reader publishes
// without taking a lock.
type subSet struct {
	mu     sync.Mutex
	list   atomic.Pointer[[]*Subscription]
	owners atomic.Bool // some subscription does not borrow
	ended  bool
}

// borrowing reports whether every subscription borrows (true when none).
func (ss *subSet) borrowing() bool { return !ss.owners.Load() }

// add registers a new subscription; on an ended set it comes back closed.
func (ss *subSet) add(opts SubscribeOptions) *Subscription {
	s := newSubscription(opts)
	s.owner = ss
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.ended {
		s.end()
		return s
	}
	ss.store(append(slices.Clip(ss.snapshot()), s))
	return s
}

// remove unregisters s.
func (ss *subSet) remove(s *Subscription) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	old := ss.snapshot()
	next := make([]*Subscription, 0, len(old))
	for _, x := range old {
		if x != s {
			next = append(next, x)
		}
	}
	ss.store(next)
}

// publish hands ev to every subscription, in registration order.
func (ss *subSet) publish(ev *Event) {
	for _, s := range ss.snapshot() {
		s.deliver(ev)
	}
}

// closeAll ends the set and every subscription in it.
func (ss *subSet) closeAll() {
	ss.mu.Lock()
	ss.ended = true
	old := ss.snapshot()
	ss.store(nil)
	ss.mu.Unlock()
	for _, s := range old {
		s.end()
	}
}

// snapshot returns the current list (never modify it).
func (ss *subSet) snapshot() []*Subscription {
	if p := ss.list.Load(); p != nil {
		return *p
	}
	return nil
}

// store publishes a new list.
func (ss *subSet) store(l []*Subscription) {
	owners := false
	for _, s := range l {
		owners = owners || !s.borrow
	}
	ss.owners.Store(owners)
	ss.list.Store(&l)
}
