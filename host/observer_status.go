package host

import (
	"sort"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Status is a snapshot of a host, for an admin endpoint.
type Status struct {
	// Generation is the current generation's ID.
	Generation uint64
	// Loaded is when the current generation was built.
	Loaded time.Time
	// Scripts are the current generation's scripts, sorted by name.
	Scripts []ScriptStatus
	// Nodes are the inbound nodes, sorted by name.
	Nodes []NodeStatus
	// Queued is the number of events waiting for a worker.
	Queued int
}

// ScriptStatus describes one script.
type ScriptStatus struct {
	Name string
	// Events are the event keys it handles.
	Events []string
	// Session, Init report the optional entry points.
	Session, Init bool
	// Timers are the names of its timers.
	Timers []string
	// LiveCalls counts its running outbound calls (on any generation).
	LiveCalls int
}

// NodeStatus describes one inbound node.
type NodeStatus struct {
	Name  string
	State esl.State
	// Subscribed lists the event names subscribed on the wire.
	Subscribed []string
}

// Status returns a snapshot of the host.
func (h *Host) Status() Status {
	g := h.cur.Load()
	st := Status{Generation: g.id, Queued: h.disp.queued()}
	if g.gen != nil {
		st.Loaded = g.gen.Loaded
	}
	live := h.out.liveByScript()
	for _, s := range g.scripts {
		st.Scripts = append(st.Scripts, scriptStatus(s, live[s.Name]))
	}
	for _, n := range h.nodeList() {
		st.Nodes = append(st.Nodes, n.status())
	}
	return st
}

func scriptStatus(s *Script, live int) ScriptStatus {
	ss := ScriptStatus{Name: s.Name, Events: s.Events, Session: s.Session, Init: s.Init, LiveCalls: live}
	for _, t := range s.Timers {
		ss.Timers = append(ss.Timers, t.Name)
	}
	return ss
}

func (n *node) status() NodeStatus {
	n.mu.Lock()
	defer n.mu.Unlock()
	ns := NodeStatus{Name: n.name, State: n.c.State()}
	for name := range n.wire {
		ns.Subscribed = append(ns.Subscribed, name)
	}
	sort.Strings(ns.Subscribed)
	return ns
}
