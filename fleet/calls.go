package fleet

import (
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
}

// heldEv is an event kept for later delivery or replay.
type heldEv struct {
	node string
	ev   *esl.Event
	at   time.Time
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
	if c.delivering == ev {
		c.delivering = nil
		f.noteEnd(c, name, at)
		return host.Admitted
	}
	c.node, c.seen = node, at
	switch {
	case c.mine && !c.flushing && !f.fenced(at):
		f.noteEnd(c, name, at)
		return host.Admitted
	case c.mine && c.flushing:
		c.queue = append(c.queue, heldEv{node, ev, at})
		return host.Withheld
	case c.owner == "" && !c.pending && c.ended.IsZero() && name != "CHANNEL_DESTROY":
		c.pending = true
		delay := f.opts.Grace
		if hrw(uuid, f.liveMembers()) == f.me {
			delay = 0
		}
		go f.resolve(uuid, delay)
	}
	c.hold(heldEv{node, ev, at}, f.holdLimit(c), 3*f.opts.Lease)
	if name == "CHANNEL_DESTROY" && c.ended.IsZero() {
		c.ended = at
	}
	return host.Withheld
}

// holdLimit bounds c.held: History, or maxHeld while a claim resolves.
func (f *Fleet) holdLimit(c *call) int {
	if c.pending {
		return maxHeld
	}
	return f.opts.History
}

// hold keeps e, dropping the oldest events past limit or older than age.
func (c *call) hold(e heldEv, limit int, age time.Duration) {
	n := 0
	for n < len(c.held) && (len(c.held)-n >= limit || e.at.Sub(c.held[n].at) > age) {
		n++
	}
	if n > 0 {
		clear(c.held[:n])
		c.held = c.held[n:]
	}
	c.held = append(c.held, e)
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
func (t *callTable) suspendMine(me string) {
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, c := range sh.calls {
			if c.mine {
				c.mine, c.owner = false, me
				c.held = append(c.queue, c.held...)
				c.queue = nil
			}
		}
		sh.mu.Unlock()
	}
}

// sweep forgets calls ended more than keep ago or silent for idle, and
// returns how many live calls are owned here.
func (t *callTable) sweep(now time.Time, keep, idle time.Duration) int {
	owned := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for id, c := range sh.calls {
			switch {
			case c.flushing || c.pending:
			case !c.ended.IsZero() && now.Sub(c.ended) > keep, now.Sub(c.seen) > idle:
				delete(sh.calls, id)
				continue
			}
			if c.mine && c.ended.IsZero() {
				owned++
			}
		}
		sh.mu.Unlock()
	}
	return owned
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
