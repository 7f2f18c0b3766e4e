package host

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// resyncTimeout bounds "show channels as json" after a reconnect.
const resyncTimeout = 10 * time.Second

// resyncSettle is how long the resync waits before it reads the channels:
// FreeSWITCH writes its channels table from its own events, a moment after
// them (about 100 ms seen on an idle 1.10.12), so a channel created just
// before the reconnect would be missing from an immediate read.
const resyncSettle = 250 * time.Millisecond

// The gap of a reconnect. Events FreeSWITCH sent while a node's connection
// was down are lost for good, so after each reconnect the host asks which
// channels are live and raises EventGap for each (and one for the node).
// The gap events must reach the scripts after the lost connection's events
// and before the new connection's: the node's subscription is replaced at
// the first reconnect attempt (no connection feeds either then), and the
// node's reader drains the old one, raises the gap events of the resync,
// then reads the new one.

// nodeGap is a node's reconnect bookkeeping, under mu.
type nodeGap struct {
	mu       sync.Mutex
	opts     esl.SubscribeOptions
	sub      *esl.Subscription // the newest subscription: the client feeds it
	next     []*handoff        // subscriptions the reader has yet to switch to, oldest first
	awaiting *handoff          // the newest handoff, until its resync starts
	swap     bool              // a loss was seen: replace sub at the next attempt
	stopped  bool
	stop     chan struct{} // closed by stop
	start    time.Time     // the earliest loss no gap event reported yet
	lastLoss time.Time
}

// handoff is a subscription the reader switches to once the gap events of
// its reconnect (res) are in.
type handoff struct {
	sub *esl.Subscription
	res chan []*esl.Event // buffered 1; receives exactly once
}

// init records the node's first subscription.
func (g *nodeGap) init(sub *esl.Subscription, opts esl.SubscribeOptions) {
	g.sub, g.opts, g.stop = sub, opts, make(chan struct{})
}

// lost records a loss: the gap starts when bytes were last read from the
// lost connection (the loss's own time if unknown).
func (g *nodeGap) lost(sc esl.StateChange, at time.Time) {
	from := sc.LastRead
	if from.IsZero() || from.After(at) {
		from = at
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.lastLoss = from
	if g.start.IsZero() {
		g.start = from
	}
	g.swap = true
}

// replace gives the client a new subscription at the first reconnect
// attempt after a loss and ends the old one.
func (g *nodeGap) replace(c *esl.Client) {
	g.mu.Lock()
	if g.stopped || !g.swap {
		g.mu.Unlock()
		return
	}
	g.swap = false
	old := g.sub
	g.sub = c.Subscribe(g.opts)
	g.awaiting = &handoff{sub: g.sub, res: make(chan []*esl.Event, 1)}
	g.next = append(g.next, g.awaiting)
	g.mu.Unlock()
	old.Close()
}

// pending returns the handoff a resync is now started for, with the gap's
// start; nil after the first connection.
func (g *nodeGap) pending() (*handoff, time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ho := g.awaiting
	g.awaiting = nil
	return ho, g.start
}

// reported marks the losses up to back as told to the scripts.
func (g *nodeGap) reported(back time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.start = time.Time{}
	if g.lastLoss.After(back) {
		g.start = g.lastLoss
	}
}

// release lets the reader past the handoff no resync will serve (the
// client closed while reconnecting).
func (g *nodeGap) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.awaiting != nil {
		g.awaiting.res <- nil
		g.awaiting = nil
	}
}

// stopAll ends every subscription and the reader's waits.
func (g *nodeGap) stopAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.stopped = true
	close(g.stop)
	g.sub.Close()
	for _, ho := range g.next {
		ho.sub.Close()
	}
}

// nextSub is called by the node's reader when a subscription ended, with
// the last event it delivered: it raises the gap events of the next one,
// in order, and returns it (nil when the node is done).
func (h *Host) nextSub(n *node, last *esl.Event) *esl.Subscription {
	g := &n.gap
	g.mu.Lock()
	if g.stopped || len(g.next) == 0 {
		g.mu.Unlock()
		return nil
	}
	ho := g.next[0]
	g.next = g.next[1:]
	g.mu.Unlock()
	select {
	case evs := <-ho.res:
		made := madeAt(last)
		for _, ev := range evs {
			startNoLaterThan(ev, made)
			h.raise(n.name, ev)
		}
		h.logResync(n.name, evs)
	case <-g.stop:
		return nil
	}
	return ho.sub
}

// node returns the node added under name, or nil.
func (h *Host) node(name string) *node {
	h.nodesMu.RLock()
	defer h.nodesMu.RUnlock()
	return h.nodes[name]
}

// startResync resynchronises n after a reconnect (at back): it asks
// FreeSWITCH for the live channels and hands the gap events to the
// reader. The first connection has no handoff and raises nothing.
func (h *Host) startResync(n *node, back time.Time) {
	ho, start := n.gap.pending()
	if ho == nil {
		return
	}
	go func() { ho.res <- h.resync(n, start, back) }()
}

// resync returns the gap events of a reconnect: one per live channel, then
// the node's (Live-Calls); when FreeSWITCH does not answer, only the node's,
// with Resync-Error, and the gap stays open for the next reconnect.
func (h *Host) resync(n *node, start, back time.Time) []*esl.Event {
	time.Sleep(resyncSettle)
	ctx, cancel := context.WithTimeout(context.Background(), resyncTimeout)
	defer cancel()
	out, err := n.c.API(ctx, "show channels as json")
	var rows []channelRow
	if err == nil {
		rows, err = parseChannels(out)
	}
	nodeEv := GapEvent(EventGap, n.name, "", "reconnect", start, back)
	if err != nil {
		h.log.Warn("host: resync after reconnect failed", "node", n.name, "error", err)
		nodeEv.Add("Resync-Error", err.Error())
		return []*esl.Event{nodeEv}
	}
	n.gap.reported(back)
	evs := make([]*esl.Event, 0, len(rows)+1)
	for _, r := range rows {
		evs = append(evs, r.gapEvent(n.name, start, back))
	}
	nodeEv.Add("Live-Calls", strconv.Itoa(len(rows)))
	return append(evs, nodeEv)
}

// logResync logs a successful resync from its node gap event (the last).
func (h *Host) logResync(node string, evs []*esl.Event) {
	if len(evs) == 0 {
		return
	}
	ev := evs[len(evs)-1]
	if _, failed := ev.Lookup("Resync-Error"); failed {
		return // logged as it failed
	}
	us := func(name string) time.Time {
		n, _ := strconv.ParseInt(ev.Get(name), 10, 64)
		return time.UnixMicro(n)
	}
	live, _ := strconv.Atoi(ev.Get("Live-Calls"))
	h.log.Info("host: resynchronised after reconnect", "node", node, "live_calls", live,
		"gap_start", us("Gap-Start"), "gap_end", us("Gap-End"))
}

// madeAt is when FreeSWITCH made ev (its Event-Date-Timestamp, µs), 0 if
// unknown.
func madeAt(ev *esl.Event) int64 {
	if ev == nil {
		return 0
	}
	ts, _ := strconv.ParseInt(ev.Get("Event-Date-Timestamp"), 10, 64)
	return ts
}

// startNoLaterThan moves a gap event's Gap-Start back to made when that is
// earlier. The gap starts when bytes were last read from the lost
// connection, but a reader that lagged read its last bytes after the
// connection was cut; FreeSWITCH sends a node's events in order, so what
// was missed was made after the last event that arrived.
func startNoLaterThan(ev *esl.Event, made int64) {
	if made <= 0 {
		return
	}
	if start, err := strconv.ParseInt(ev.Get("Gap-Start"), 10, 64); err == nil && made < start {
		ev.Set("Gap-Start", strconv.FormatInt(made, 10))
	}
}
