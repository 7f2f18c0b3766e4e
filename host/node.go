package host

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// nodeSubscribeTimeout bounds the wire subscription after a reload.
const nodeSubscribeTimeout = 10 * time.Second

// node is one inbound FreeSWITCH connection whose events the host consumes.
type node struct {
	name string
	c    *esl.Client
	sub  *esl.Subscription

	mu   sync.Mutex      // serializes wire subscriptions
	wire map[string]bool // event names subscribed on the wire

	gap nodeGap // reconnects: the subscriptions that follow sub (resync.go)
}

// AddNode consumes the events of an inbound client: it subscribes on the
// wire to every event the current scripts handle (and, after each reload,
// to the names a new generation adds), and starts the one goroutine that
// dispatches this node's events. The name labels the node in Scope.Node,
// logs, metrics and Status, and makes it reachable from scripts (esl
// module). Once it is subscribed, the scripts get EventNodeUp (attempt 0).
// The caller keeps ownership of c and closes it after Shutdown.
func (h *Host) AddNode(ctx context.Context, name string, c *esl.Client) error {
	n := &node{name: name, c: c, wire: make(map[string]bool)}
	opts := esl.SubscribeOptions{Queue: h.opts.QueueSize}
	n.sub = c.Subscribe(opts)
	n.gap.init(n.sub, opts)
	if err := h.registerNode(n); err != nil {
		n.sub.Close()
		return err
	}
	if err := h.subscribeNode(ctx, n, h.cur.Load()); err != nil {
		h.unregisterNode(n)
		n.sub.Close()
		h.readers.Done()
		return err
	}
	go h.readNode(n)
	h.raise(name, nodeEvent(EventNodeUp, esl.StateChange{Node: name, State: esl.StateConnected}))
	return nil
}

// registerNode adds n under its name (names are unique) and counts its
// reader; it fails once Shutdown began.
func (h *Host) registerNode(n *node) error {
	h.nodesMu.Lock()
	defer h.nodesMu.Unlock()
	if h.nodesClosed {
		return ErrClosed
	}
	if _, dup := h.nodes[n.name]; dup {
		return fmt.Errorf("host: node %q already added", n.name)
	}
	h.nodes[n.name] = n
	h.rebuildCommanders()
	h.readers.Add(1)
	return nil
}

func (h *Host) unregisterNode(n *node) {
	h.nodesMu.Lock()
	defer h.nodesMu.Unlock()
	delete(h.nodes, n.name)
	h.rebuildCommanders()
}

// Node returns the client added under name, or nil.
func (h *Host) Node(name string) *esl.Client {
	h.nodesMu.RLock()
	defer h.nodesMu.RUnlock()
	if n := h.nodes[name]; n != nil {
		return n.c
	}
	return nil
}

// wrapCommander applies Options.WrapCommander, if set.
func (h *Host) wrapCommander(node string, c bindings.Commander) bindings.Commander {
	if h.opts.WrapCommander == nil {
		return c
	}
	return h.opts.WrapCommander(node, c)
}

// readNode dispatches a node's events until its subscription ends
// (Shutdown, or the client was closed); after a reconnect it goes on with
// the next subscription once the gap events are raised (nextSub).
func (h *Host) readNode(n *node) {
	defer h.readers.Done()
	var last *esl.Event // the last event of the subscription (see nextSub)
	for sub := n.sub; sub != nil; sub = h.nextSub(n, last) {
		for ev := range sub.C {
			last = ev
			name := ev.Name()
			h.obs.EventReceived(n.name, name)
			h.dispatchNamed(n.name, ev, name, time.Now(), false)
		}
	}
}

// subscribeNode subscribes n on the wire to the event names of g it does
// not have yet.
func (h *Host) subscribeNode(ctx context.Context, n *node, g *genView) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	names := missingNames(n.wire, g.eventKeys())
	if len(names) == 0 {
		return nil
	}
	if err := n.c.Events(ctx, names...); err != nil {
		return fmt.Errorf("host: node %s: subscribe: %w", n.name, err)
	}
	for _, name := range names {
		n.wire[name] = true
	}
	return nil
}

// subscribeAll brings every node's wire subscription up to g.
func (h *Host) subscribeAll(g *genView) {
	for _, n := range h.nodeList() {
		ctx, cancel := context.WithTimeout(h.life, nodeSubscribeTimeout)
		if err := h.subscribeNode(ctx, n, g); err != nil {
			h.log.Error("host: cannot subscribe to new events", "node", n.name, "error", err)
		}
		cancel()
	}
}

// nodeList returns the nodes sorted by name.
func (h *Host) nodeList() []*node {
	h.nodesMu.RLock()
	defer h.nodesMu.RUnlock()
	ns := make([]*node, 0, len(h.nodes))
	for _, n := range h.nodes {
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].name < ns[j].name })
	return ns
}

// missingNames returns the wire event names that keys need and have does
// not hold: "*" becomes ALL (which covers everything); plain names come
// sorted before CUSTOM subclasses (names with "::").
func missingNames(have, keys map[string]bool) []string {
	if have["ALL"] {
		return nil
	}
	if keys["*"] {
		return []string{"ALL"}
	}
	var plain, custom []string
	for k := range keys {
		switch {
		case have[k], isLocalKey(k):
		case strings.Contains(k, "::"):
			custom = append(custom, k)
		default:
			plain = append(plain, k)
		}
	}
	sort.Strings(plain)
	sort.Strings(custom)
	return append(plain, custom...)
}

// stopNodes refuses new nodes, ends every node's subscription and waits
// for the readers.
func (h *Host) stopNodes() {
	h.nodesMu.Lock()
	h.nodesClosed = true
	h.nodesMu.Unlock()
	for _, n := range h.nodeList() {
		n.gap.stopAll()
	}
	h.readers.Wait()
}
