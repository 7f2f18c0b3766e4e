package fleet

import (
	"strconv"
	"sync"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
)

// callShards splits the call table to keep its locks short-lived.
const callShards = 32

// callTable is this instance's view of every call it has seen.
type callTable struct{ shards [callShards]callShard }

type callShard struct {
	mu    sync.Mutex
	calls map[string]*call
}

// call is one call (Unique-ID) as this instance sees it. Its fields are
// guarded by its shard's mutex.
type call struct {
	sh         *callShard
	uuid       string
	node       string     // the node of its last event
	owner      string     // "" while unknown
	mine       bool       // owned here: its events are admitted
	pending    bool       // a claim is being resolved: events wait in held
	held       []heldEv   // waiting for the claim, or recent history
	queue      []heldEv   // being handed back to the host, in order
	delivering *esl.Event // the event Deliver is handing to Admit now
	flushing   bool
	ended      time.Time // CHANNEL_DESTROY seen
	seen       time.Time // last event
	// markUntil (µs, FreeSWITCH's Event-Date-Timestamp) is set when the
	// call was taken from another instance: an event made before it may
	// have been handled there, however late it reaches this instance.
	markUntil int64
}

// heldEv is an event kept for later delivery or replay.
type heldEv struct {
	node string
	ev   *esl.Event
	at   time.Time
	size int64 // counted in Fleet.heldBytes
}

func (t *callTable) init() {
	for i := range t.shards {
		t.shards[i].calls = make(map[string]*call)
	}
}

// get returns uuid's call, locked, creating it when absent.
func (t *callTable) get(uuid string) *call {
	sh := &t.shards[fnv32a(uuid)%callShards]
	sh.mu.Lock()
	c := sh.calls[uuid]
	if c == nil {
		c = &call{sh: sh, uuid: uuid}
		sh.calls[uuid] = c
	}
	return c
}

func (c *call) unlock() { c.sh.mu.Unlock() }

// admitCall decides for an event of a call: admitted when the call is
// owned here; else withheld, kept while its claim is resolved (and then
// delivered if it is ours) or as history for a takeover.
func (f *Fleet) admitCall(node string, ev *esl.Event, name, uuid string, at time.Time) host.Admission {
	c := f.calls.get(uuid)
	defer c.unlock()
	if f.stopped() { // closed: forgetAll ran or runs soon; keep nothing
		delete(c.sh.calls, uuid)
		return host.Withheld
	}
	if c.delivering == ev {
		c.delivering = nil
		f.noteEnd(c, name, at)
		return host.Admitted
	}
	c.node, c.seen = node, at
	switch {
	case c.mine && !c.flushing && !f.fenced(at):
		c.markLate(ev)
		f.noteEnd(c, name, at)
		return host.Admitted
	case c.mine && c.flushing:
		c.markLate(ev)
		c.queue = append(c.queue, heldEv{node: node, ev: ev, at: at})
		return host.Withheld
	case c.owner == "" && !c.pending && c.ended.IsZero() && name != "CHANNEL_DESTROY":
		c.pending = true
		delay := f.opts.Grace
		if hrw(uuid, f.liveMembers()) == f.me {
			delay = 0
		}
		go f.resolve(uuid, delay)
	}
	f.hold(c, heldEv{node: node, ev: ev, at: at})
	if name == "CHANNEL_DESTROY" && c.ended.IsZero() {
		c.ended = at
	}
	return host.Withheld
}

// markLate marks ev as a possible repeat when FreeSWITCH made it before
// the call was taken from another instance (see markUntil): this
// instance's reader may lag behind the previous owner's. The check ends
// at the first event made a second after the takeover: a call's events
// come in order, give or take the microseconds between the making and the
// firing of an event.
func (c *call) markLate(ev *esl.Event) {
	if c.markUntil == 0 {
		return
	}
	ts, err := strconv.ParseInt(ev.Get("Event-Date-Timestamp"), 10, 64)
	switch {
	case err != nil: // no time to judge by (FreeSWITCH always sends one)
	case ts <= c.markUntil:
		ev.Set(RepeatHeader, "true")
	case ts > c.markUntil+int64(time.Second/time.Microsecond):
		c.markUntil = 0
	}
}

// hold keeps e in c.held. Events this instance must deliver later (a
// claim resolving, a call of its own while it is fenced) are all kept, up
// to maxHeld; history of another's call is kept within History events,
// histAge and the instance's HistoryBytes (an event not kept would be
// missing from a replay, inside the gap the takeover reports).
func (f *Fleet) hold(c *call, e heldEv) {
	must := f.mustDeliver(c)
	limit := f.opts.History
	if must {
		limit = maxHeld
	}
	n := 0
	for n < len(c.held) && (len(c.held)-n >= limit || (!must && e.at.Sub(c.held[n].at) > f.histAge())) {
		n++
	}
	f.dropHeld(c, n)
	e.size = int64(e.ev.Size())
	if !must && f.heldBytes.Load()+e.size > f.opts.HistoryBytes {
		return
	}
	f.heldBytes.Add(e.size)
	c.held = append(c.held, e)
}

// mustDeliver reports whether c's held events are to be delivered here
// later rather than kept as history.
func (f *Fleet) mustDeliver(c *call) bool { return c.pending || c.mine || c.owner == f.me }

// histAge is how long history is kept: a takeover replays from at most
// Lease + 2 renewal intervals before it.
func (f *Fleet) histAge() time.Duration { return 2 * f.opts.Lease }

// dropHeld forgets the n oldest held events of c.
func (f *Fleet) dropHeld(c *call, n int) {
	for _, e := range c.held[:n] {
		f.heldBytes.Add(-e.size)
	}
	clear(c.held[:n])
	c.held = c.held[n:]
	if len(c.held) == 0 {
		c.held = nil
	}
}

// takeHeld returns c's held events and forgets them.
func (f *Fleet) takeHeld(c *call) []heldEv {
	h := c.held
	for _, e := range h {
		f.heldBytes.Add(-e.size)
	}
	c.held = nil
	return h
}

// noteEnd marks an owned call ended at its CHANNEL_DESTROY and queues the
// release of its claim.
func (f *Fleet) noteEnd(c *call, name string, at time.Time) {
	if name != "CHANNEL_DESTROY" || !c.ended.IsZero() {
		return
	}
	c.ended = at
	select {
	case f.releases <- c.uuid:
	default: // the claim expires after CallTTL
	}
}

// deliverLocked hands evs back to the host after what is queued, in
// order; c is locked.
func (f *Fleet) deliverLocked(c *call, evs []heldEv) {
	c.queue = append(c.queue, evs...)
	if !c.flushing && len(c.queue) > 0 {
		c.flushing = true
		go f.drain(c)
	}
}

// drain delivers c's queue one event at a time; Admit recognises each by
// c.delivering and admits it. Events arriving meanwhile queue behind.
func (f *Fleet) drain(c *call) {
	for {
		c.sh.mu.Lock()
		if len(c.queue) == 0 || !c.mine {
			c.flushing = false
			c.sh.mu.Unlock()
			return
		}
		e := c.queue[0]
		c.queue[0] = heldEv{}
		c.queue = c.queue[1:]
		c.delivering = e.ev
		c.sh.mu.Unlock()
		f.sink.Deliver(e.node, e.ev, e.at)
		c.sh.mu.Lock()
		c.delivering = nil // the host had no generation: it never asked
		c.sh.mu.Unlock()
	}
}

// suspendMine marks every call owned here as owned by nobody sure (its
// events held) after this instance's lease lapsed; the takeover of its
// own calls sorts them out.
func (f *Fleet) suspendMine(me string) {
	t := &f.calls
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, c := range sh.calls {
			if c.mine {
				c.mine, c.owner = false, me
				for i := range c.queue {
					c.queue[i].size = int64(c.queue[i].ev.Size())
					f.heldBytes.Add(c.queue[i].size)
				}
				c.held = append(c.queue, c.held...)
				c.queue = nil
			}
		}
		sh.mu.Unlock()
	}
}

// sweep forgets calls ended more than keep ago or silent for idle, and
// history older than histAge; it returns how many live calls are owned
// here.
func (f *Fleet) sweep(now time.Time, keep, idle time.Duration) int {
	owned := 0
	t := &f.calls
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for id, c := range sh.calls {
			switch {
			case c.flushing || c.pending:
			case !c.ended.IsZero() && now.Sub(c.ended) > keep, now.Sub(c.seen) > idle:
				f.dropHeld(c, len(c.held))
				delete(sh.calls, id)
				continue
			case !f.mustDeliver(c):
				n := 0
				for n < len(c.held) && now.Sub(c.held[n].at) > f.histAge() {
					n++
				}
				f.dropHeld(c, n)
			}
			if c.mine && c.ended.IsZero() {
				owned++
			}
		}
		sh.mu.Unlock()
	}
	return owned
}

// forgetAll drops every call and the events held or queued for them
// (Close). A drain under way stops at its next event, the call being no
// longer ours.
func (f *Fleet) forgetAll() {
	t := &f.calls
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, c := range sh.calls {
			f.dropHeld(c, len(c.held))
			clear(c.queue)
			c.queue, c.mine, c.pending = nil, false, false
		}
		sh.calls = make(map[string]*call)
		sh.mu.Unlock()
	}
}

// fnv32a is the 32-bit FNV-1a hash of s.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
