package bindings

import (
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// Pump is implemented by a Loop whose queued callbacks the owning
// goroutine can run itself. Blocking bindings (session calls, job waits)
// select on Pending while they wait, so timers keep firing during a long
// playback. A Loop without Pump only runs callbacks between handlers.
type Pump interface {
	Pending() <-chan func(*lua.LState)
}

// Queue is a ready-made Loop and Pump: a bounded channel of callbacks that
// the goroutine owning the Lua state drains (Pending), until Close. Post
// may be called from any goroutine; it blocks while the queue is full and
// returns false once the queue is closed.
type Queue struct {
	ch        chan func(*lua.LState)
	done      chan struct{}
	closeOnce sync.Once
}

// NewQueue returns a queue holding up to n callbacks (n < 1 means 64).
func NewQueue(n int) *Queue {
	if n < 1 {
		n = 64
	}
	return &Queue{ch: make(chan func(*lua.LState), n), done: make(chan struct{})}
}

// Post implements Loop.
func (q *Queue) Post(fn func(L *lua.LState)) bool {
	select {
	case <-q.done:
		return false
	default:
	}
	select {
	case q.ch <- fn:
		return true
	case <-q.done:
		return false
	}
}

// Pending implements Pump.
func (q *Queue) Pending() <-chan func(*lua.LState) { return q.ch }

// Done is closed by Close.
func (q *Queue) Done() <-chan struct{} { return q.done }

// RunPending runs every callback queued right now on L, without blocking,
// and returns how many ran. Call it from the goroutine owning L.
func (q *Queue) RunPending(L *lua.LState) int {
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
	q.closeOnce.Do(func() { close(q.done) })
}

// Interface guards.
var (
	_ Loop = (*Queue)(nil)
	_ Pump = (*Queue)(nil)
)
