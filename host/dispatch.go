package host

import (
	"sync"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// item is one unit of work for a worker: an event with the generation
// captured when it was dispatched, a callback posted to one of the
// worker's Lua states, or a retire marker telling the worker a newer
// generation is current.
type item struct {
	ev      *esl.Event
	name    string // ev's Event-Name, looked up once on receipt
	uuid    string // ev's call uuid (UniqueID), looked up once at dispatch
	node    string
	gen     *genView
	targets []target
	at      monoTime // receipt
	cb      *posted  // set for a posted callback
	uidHdr  bool     // uuid is ev's Unique-ID header, not the Channel-Call-UUID fallback
	cost    int32    // bytes charged to each target's script queue (eventCost)
	// off is the event's read offset (pinWindow.next); once queued it stays
	// set only while the event waits aliasing its read chunk.
	off int64
}

// posted is a callback posted by a binding to one of a worker's states.
type posted struct {
	fn    func(L *lua.LState)
	state *luaState // the state fn runs in
}

// monoTime is a monotonic instant in nanoseconds since clockBase: 8 bytes
// in an item instead of a time.Time's 24 (the queues hold up to
// Workers*QueueSize items).
type monoTime int64

// clockBase is the origin of monoTime.
var clockBase = time.Now()

// monoOf converts t (which must carry a monotonic reading) to a monoTime.
func monoOf(t time.Time) monoTime { return monoTime(t.Sub(clockBase)) }

// monoNow returns the current monoTime (one monotonic clock read, cheaper
// than time.Now, which also reads the wall clock).
func monoNow() monoTime { return monoTime(time.Since(clockBase)) }

// since returns how long ago m was.
func (m monoTime) since() time.Duration { return time.Since(clockBase) - time.Duration(m) }

// dispatcher shards events to a fixed set of host-level workers by call,
// so that one call's events are handled in order (even across a reload)
// while different calls run in parallel. Enqueueing never blocks.
type dispatcher struct {
	mu      sync.RWMutex // guards stopped against the close of the queues
	stopped bool
	workers []*worker
	wg      sync.WaitGroup
	win     pinWindow
}

// newDispatcher starts n workers with queues of size q.
func newDispatcher(h *Host, n, q int) *dispatcher {
	d := &dispatcher{workers: make([]*worker, n)}
	for i := range d.workers {
		d.workers[i] = newWorker(h, d, i, q)
		d.win.queues = append(d.win.queues, d.workers[i].q)
	}
	d.wg.Add(n)
	for _, w := range d.workers {
		go func() {
			defer d.wg.Done()
			w.run()
		}()
	}
	return d
}

// shard picks the worker of an event: by call uuid, else by event name.
func (d *dispatcher) shard(ev *esl.Event) int {
	return d.shardOf(ev.UniqueID(), ev.Name())
}

// shardOf is shard for an event's Unique-ID and Event-Name.
func (d *dispatcher) shardOf(uuid, name string) int {
	key := uuid
	if key == "" {
		key = name
	}
	return int(fnv32a(key) % uint32(len(d.workers)))
}

// fnv32a is the 32-bit FNV-1a hash of s (hash/fnv without the allocation).
func fnv32a(s string) uint32 {
	const offset, prime = 2166136261, 16777619
	h := uint32(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= prime
	}
	return h
}

// enqueue hands it to worker i without blocking. It reports "" on success,
// else why it was dropped: "shutdown", or "queue_full" for an event (a
// posted callback is never refused while the dispatcher runs).
func (d *dispatcher) enqueue(i int, it item) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.stopped {
		return "shutdown"
	}
	return d.workers[i].q.push(it)
}

// broadcast tells every worker that gen is current so that they close
// their states of older generations even if no event reaches them.
func (d *dispatcher) broadcast(gen *genView) {
	for i := range d.workers {
		d.enqueue(i, item{gen: gen})
	}
}

// stop closes the queues and waits until every worker has handled what was
// queued and closed its states.
func (d *dispatcher) stop() {
	d.mu.Lock()
	if !d.stopped {
		d.stopped = true
		for _, w := range d.workers {
			w.q.close()
		}
	}
	d.mu.Unlock()
	d.wg.Wait()
}

// queued returns how many items wait in all queues.
func (d *dispatcher) queued() int {
	n := 0
	for _, w := range d.workers {
		n += w.q.len()
	}
	return n
}
