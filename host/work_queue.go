package host

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/eslscript/eslscript/esl"
)

// workQueue is a worker's queue. It holds no memory while empty and grows
// on demand (a fixed channel of QueueSize slots cost 7 MiB per worker at
// start). Events are bounded by count (the caller drops past the limit);
// posted callbacks are never refused while the queue is open, so a timer
// or a bgapi callback is not lost to a burst of events.
type workQueue struct {
	mu     sync.Mutex
	items  []item
	head   int // items[head:] wait
	events int // events among them (not callbacks, not markers)
	limit  int
	closed bool
	wake   chan struct{} // one token: something was pushed or the queue closed
	// win decides whether a waiting event may keep aliasing its read chunk
	// (nil: never, it is copied); pins and oldestPin track those that do.
	win       *pinWindow
	pins      pinFIFO
	oldestPin atomic.Int64
}

// pinFIFO is the offsets of a queue's waiting events that alias their
// read chunks, oldest first (a queue pops in push order).
type pinFIFO struct {
	offs []int64
	head int
}

// shrinkAbove is the capacity past which an emptied queue frees its array.
const shrinkAbove = 1024

func newWorkQueue(limit int, win *pinWindow) *workQueue {
	q := &workQueue{limit: limit, wake: make(chan struct{}, 1), win: win}
	q.oldestPin.Store(noPin)
	return q
}

// push appends it. It reports "" on success, else why it was refused:
// "shutdown" once closed, "queue_full" for an event past the limit.
func (q *workQueue) push(it item) string {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return "shutdown"
	}
	if it.ev != nil {
		if q.events >= q.limit {
			q.mu.Unlock()
			return "queue_full"
		}
		if len(q.items) > q.head {
			q.wait(&it)
		} else {
			it.off = 0
		}
		q.events++
	}
	q.items = append(q.items, it)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return ""
}

// pop returns the next item, waiting for one; false once the queue is
// closed and drained.
func (q *workQueue) pop() (item, bool) {
	for {
		q.mu.Lock()
		if q.head < len(q.items) {
			it := q.items[q.head]
			q.items[q.head] = item{}
			q.head++
			if it.ev != nil {
				q.events--
			}
			if it.off != 0 {
				q.unpin()
			}
			q.compact()
			q.mu.Unlock()
			return it, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return item{}, false
		}
		<-q.wake
	}
}

// compact resets an emptied queue (freeing a large array) and moves the
// waiting items down once most of the array is consumed. Called locked.
func (q *workQueue) compact() {
	switch n := len(q.items) - q.head; {
	case n == 0 && cap(q.items) > shrinkAbove:
		q.items, q.head = nil, 0
	case n == 0:
		q.items, q.head = q.items[:0], 0
	case q.head > shrinkAbove && q.head > n:
		old := len(q.items)
		q.items = append(q.items[:0], q.items[q.head:]...)
		clear(q.items[n:old])
		q.head = 0
	}
}

// close refuses further items; those queued are still popped.
func (q *workQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// len returns how many items wait.
func (q *workQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

// wait prepares an event that will wait: it keeps aliasing its read
// chunk (it.off stays set) when the window allows, else it is copied out
// of the chunk (it.off cleared). Called locked.
func (q *workQueue) wait(it *item) {
	if it.off == 0 || q.win == nil || !q.win.allows(it.off) {
		// The name and uuid read at dispatch are slices of the chunk too.
		it.ev, it.off = detach(it.ev), 0
		it.name, it.uuid = strings.Clone(it.name), strings.Clone(it.uuid)
		return
	}
	if q.pins.head == len(q.pins.offs) {
		q.oldestPin.Store(it.off)
	}
	q.pins.offs = append(q.pins.offs, it.off)
}

// unpin forgets the oldest aliasing event, just popped. Called locked.
func (q *workQueue) unpin() {
	p := &q.pins
	p.head++
	if p.head == len(p.offs) {
		p.offs, p.head = p.offs[:0], 0
		if cap(p.offs) > shrinkAbove {
			p.offs = nil
		}
		q.oldestPin.Store(noPin)
		return
	}
	q.oldestPin.Store(p.offs[p.head])
	if p.head > shrinkAbove && p.head > len(p.offs)-p.head {
		p.offs = append(p.offs[:0], p.offs[p.head:]...)
		p.head = 0
	}
}

// detach returns ev as a copy that owns its bytes (a parsed event aliases
// the connection's read chunk; a queued one would keep it alive).
func detach(ev *esl.Event) *esl.Event { return ev.Clone() }
