package bindings

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// pumper is implemented by a Loop whose queued callbacks the owning
// goroutine can run itself. Blocking bindings (session calls, job waits)
// select on Pending while they wait, so timers keep firing during a long
// playback. Another Loop only runs callbacks between handlers.
type pumper interface {
	Pending() <-chan func(*lua.LState)
}

// Queue is the ready-made Loop: the callbacks that the goroutine
// owning the Lua state drains (Pending), until Close. Like the host's
// worker loops it grows on demand: Post may be called from any goroutine,
// never blocks, and returns false only once the queue is closed.
type Queue struct {
	ch        chan func(*lua.LState) // callbacks handed out, in order
	closeOnce sync.Once

	mu      sync.Mutex
	backlog []func(*lua.LState) // posted while ch was full, in order
	closed  bool
}

// NewQueue returns an open queue that hands out up to n callbacks at once
// through Pending (n < 1 means 64); more wait in a backlog that grows on
// demand and holds no memory while empty.
func NewQueue(n int) *Queue {
	if n < 1 {
		n = 64
	}
	return &Queue{ch: make(chan func(*lua.LState), n)}
}

// Post implements Loop.
func (q *Queue) Post(fn func(L *lua.LState)) bool {
	run := func(L *lua.LState) {
		q.refill()
		fn(L)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	if len(q.backlog) == 0 {
		select {
		case q.ch <- run:
			return true
		default:
		}
	}
	q.backlog = append(q.backlog, run)
	return true
}

// refill moves backlogged callbacks into the free slots of ch. Each
// callback calls it when run, and Pending when asked, so the backlog
// drains as fast as the owner takes callbacks.
func (q *Queue) refill() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.backlog) > 0 {
		select {
		case q.ch <- q.backlog[0]:
			q.backlog[0] = nil
			q.backlog = q.backlog[1:]
		default:
			return
		}
	}
	q.backlog = nil // free the array
}

// Pending returns the callbacks ready to run, in order: the goroutine
// owning the state takes them between its runs, and blocking bindings
// while they wait.
func (q *Queue) Pending() <-chan func(*lua.LState) {
	q.refill()
	return q.ch
}

// runPending runs every callback queued right now on L, without blocking,
// and returns how many ran. Call it from the goroutine owning L.
func (q *Queue) runPending(L *lua.LState) int {
	n := 0
	for {
		select {
		case fn := <-q.ch:
			fn(L)
			n++
		default:
			return n
		}
	}
}

// Close drops further posts; callbacks still queued are never run.
func (q *Queue) Close() {
	q.closeOnce.Do(func() {
		q.mu.Lock()
		q.closed, q.backlog = true, nil
		q.mu.Unlock()
	})
}

// Interface guards.
var (
	_ Loop   = (*Queue)(nil)
	_ pumper = (*Queue)(nil)
)
