package host

import (
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Ownership lets several instances of eslscript (a fleet) consume the same
// nodes while each call's handlers run on one instance only. The host asks
// it about every event before queueing it (Options.Ownership); package
// fleet implements it on Redis.
type Ownership interface {
	// Admit says where an event goes. name is its Event-Name, uuid its call (its
	// Unique-ID, else Channel-Call-UUID; "" for a node-level event). It is
	// called on the node's reader goroutine, in the node's order, and must
	// not block. An event it withholds may be handed back later, in the
	// call's order, with Host.Deliver, which asks Admit again: Admit must
	// then admit it.
	Admit(node string, ev *esl.Event, name, uuid string, at time.Time) Admission
	// Leader reports whether this instance is the fleet's leader now: it
	// runs the timers declared leader = true.
	Leader() bool
}

// Admission is Ownership.Admit's verdict.
type Admission uint8

const (
	// Admitted: every handler of the event runs here.
	Admitted Admission = iota
	// EveryInstanceOnly: a node-level event on an instance that is not
	// the leader; only scripts declaring every_instance = true get it.
	EveryInstanceOnly
	// Withheld: no handler runs here (another instance owns the call, or
	// the Ownership keeps the event to Deliver it later).
	Withheld
)

// Deliver queues an event the Ownership withheld, or a local event it
// raises (EventTakeover), for the current generation's handlers, like an
// event received from node at time at. Events of one call are handled in
// the order of their Deliver calls.
func (h *Host) Deliver(node string, ev *esl.Event, at time.Time) {
	h.dispatchEvent(node, ev, at)
}

// owned returns the targets of ev that run on this instance: all of them
// without an Ownership or for a node-level event this host raised (local),
// else as the Ownership's Admit says.
func (h *Host) owned(g *genView, node string, ev *esl.Event, name string, at time.Time, local bool) []target {
	ts := g.targets(ev, name)
	o := h.opts.Ownership
	if o == nil {
		return ts
	}
	uuid, _ := callUUID(ev)
	if local && uuid == "" {
		return ts
	}
	switch o.Admit(node, ev, name, uuid, at) {
	case Admitted:
		return ts
	case EveryInstanceOnly:
		return everyInstance(g, ts)
	}
	return nil
}

// everyInstance keeps the targets of scripts declaring every_instance.
func everyInstance(g *genView, ts []target) []target {
	var out []target
	for _, t := range ts {
		if s := g.byName[t.script]; s != nil && s.EveryInstance {
			out = append(out, t)
		}
	}
	return out
}

// leader reports whether timers declared leader = true run here.
func (h *Host) leader() bool {
	return h.opts.Ownership == nil || h.opts.Ownership.Leader()
}
