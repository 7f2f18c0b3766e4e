package scripttest

import (
	"container/heap"
	"github.com/eslscript/eslscript/bindings"
	"sync"
	"sync/atomic"
	"time"
)

// virtualEpoch is where every test's virtual clock starts.
var virtualEpoch = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// Clock is a virtual bindings.Clock: time only moves when Advance (or the
// runner's auto-advance, see settle.go) moves it. After returns a channel
// that fires once the clock reaches the deadline. Safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters waiterHeap
	seq     uint64
	armed   atomic.Uint64 // After calls so far: an activity signal
}

// NewClock returns a virtual clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now implements bindings.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After implements bindings.Clock. A duration <= 0 fires at once.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.armed.Add(1)
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.seq++
	heap.Push(&c.waiters, &waiter{at: c.now.Add(d), seq: c.seq, ch: ch})
	return ch
}

// Next returns the earliest pending deadline.
func (c *Clock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiters) == 0 {
		return time.Time{}, false
	}
	return c.waiters[0].at, true
}

// Pending returns how many After channels have not fired yet.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Step moves the clock to the earliest deadline not after limit and fires
// every waiter due then. It reports false (and moves the clock to limit)
// when no deadline is due by limit.
func (c *Clock) Step(limit time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiters) == 0 || c.waiters[0].at.After(limit) {
		if limit.After(c.now) {
			c.now = limit
		}
		return false
	}
	at := c.waiters[0].at
	if at.After(c.now) {
		c.now = at
	}
	for len(c.waiters) > 0 && !c.waiters[0].at.After(at) {
		w := heap.Pop(&c.waiters).(*waiter)
		w.ch <- c.now
	}
	return true
}

// Advance moves the clock forward by d at once, firing every waiter due,
// in deadline order.
func (c *Clock) Advance(d time.Duration) {
	limit := c.Now().Add(d)
	for c.Step(limit) {
	}
}

// activity returns a counter that changes whenever a wait is armed.
func (c *Clock) activity() uint64 { return c.armed.Load() }

// waiter is one After channel.
type waiter struct {
	at  time.Time
	seq uint64
	ch  chan time.Time
}

// waiterHeap orders waiters by deadline, then by arrival.
type waiterHeap []*waiter

func (h waiterHeap) Len() int { return len(h) }
func (h waiterHeap) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}
func (h waiterHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *waiterHeap) Push(x any)   { *h = append(*h, x.(*waiter)) }
func (h *waiterHeap) Pop() any {
	old := *h
	w := old[len(old)-1]
	*h = old[:len(old)-1]
	return w
}

var _ bindings.Clock = (*Clock)(nil)
