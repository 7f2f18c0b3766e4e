package host

import (
	"math"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// dropLogEvery rate-limits the log line for dropped events.
const dropLogEvery = 1000

// dispatchEvent queues ev (received from node at time at) for the handlers
// of the current generation, which the item captures: the event is handled
// exactly once, by that generation, whatever reload happens meanwhile. It
// never blocks: a full queue drops the event.
func (h *Host) dispatchEvent(node string, ev *esl.Event, at time.Time) {
	h.dispatchNamed(node, ev, ev.Name(), at, false)
}

// raise dispatches an event this host raises about its own connection to
// node (node_up, node_down, gap events). A node-level one runs here
// whatever the Ownership says: it describes this instance's connection,
// which no other instance of a fleet shares. A call's goes to the call's
// owner like any event.
func (h *Host) raise(node string, ev *esl.Event) {
	h.dispatchNamed(node, ev, ev.Name(), time.Now(), true)
}

// dispatchNamed is dispatchEvent for an event whose Event-Name the caller
// already looked up (local: raised by this host). Event-Name and Unique-ID
// travel with the item, so no later step scans the event for them again.
func (h *Host) dispatchNamed(node string, ev *esl.Event, name string, at time.Time, local bool) {
	g := h.cur.Load()
	if g == nil {
		return
	}
	size := ev.Size()
	off := h.disp.win.next(size)
	cost := eventCost(size)
	ts, over := h.squeue.admit(h.owned(g, node, ev, name, at, local), cost)
	for _, t := range over {
		h.obs.EventDropped(t.script, "script_queue_full")
		h.logDrop(node, name, "script_queue_full")
	}
	if len(ts) == 0 {
		return
	}
	uuid, uidHdr := callUUID(ev)
	why := h.disp.enqueue(h.disp.shardOf(uuid, name), item{ev: ev, name: name, uuid: uuid, uidHdr: uidHdr,
		node: node, gen: g, targets: ts, at: monoOf(at), cost: int32(min(cost, math.MaxInt32)), off: off})
	if why != "" {
		h.squeue.release(ts, cost)
	}
	for _, t := range ts {
		if why == "" {
			h.obs.EventDispatched(t.script, t.key)
		} else {
			h.obs.EventDropped(t.script, why)
		}
	}
	if why != "" {
		h.logDrop(node, name, why)
	}
}

// callUUID is ev.UniqueID(), and whether it is the Unique-ID header's
// value (else the Channel-Call-UUID fallback, or "").
func callUUID(ev *esl.Event) (uuid string, uidHdr bool) {
	if v, ok := ev.Lookup("Unique-ID"); ok && v != "" {
		return v, true
	}
	return ev.Get("Channel-Call-UUID"), false
}

// logDrop logs the first dropped event and then one in dropLogEvery.
func (h *Host) logDrop(node, event, why string) {
	n := h.dropped.Add(1)
	if n%dropLogEvery == 1 {
		h.log.Warn("host: event dropped", "node", node, "event", event, "reason", why, "dropped_total", n)
	}
}

// dropOnShutdown reports the events of an item a worker will not run
// because Shutdown gave up waiting.
func (h *Host) dropOnShutdown(it item) {
	for _, t := range it.targets {
		h.squeue.done(t.script, int64(it.cost))
		h.obs.EventDropped(t.script, "shutdown")
	}
}
