package host

import (
	"strconv"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Local events the host itself raises for scripts. They look like CUSTOM
// subclasses, so a script handles them with the usual event keys, but they
// never travel on the wire.
const (
	// EventNodeUp is raised when a node connects (first time, by AddNode,
	// and after every reconnect, once its subscriptions are back).
	EventNodeUp = "eslscript::node_up"
	// EventNodeDown is raised when a node's connection is lost.
	EventNodeDown = "eslscript::node_down"
)

// localPrefix marks event keys served by the host, not FreeSWITCH.
const localPrefix = "eslscript::"

// isLocalKey reports whether an event key names a host-local event.
func isLocalKey(k string) bool { return strings.HasPrefix(k, localPrefix) }

// NodeStateChanged tells the scripts about a node's connection state:
// wire it to esl.Options.OnState. Lost raises EventNodeDown, Connected
// raises EventNodeUp for a node already added (AddNode raises the first
// one, once scripts can use the node); other states are ignored. The
// event carries the headers Node, Node-State, Attempt and, for a loss,
// Reason. After a reconnect of an added node, the host resynchronises its
// live channels and raises EventGap (see resync.go).
func (h *Host) NodeStateChanged(sc esl.StateChange) {
	now := time.Now()
	n := h.node(sc.Node)
	switch sc.State {
	case esl.StateLost:
		if n != nil {
			n.gap.lost(sc, now)
		}
		h.raise(sc.Node, nodeEvent(EventNodeDown, sc))
	case esl.StateReconnecting:
		if n != nil {
			n.gap.replace(n.c)
		}
	case esl.StateConnected:
		if n == nil {
			return
		}
		h.raise(sc.Node, nodeEvent(EventNodeUp, sc))
		h.startResync(n, now)
	case esl.StateClosed:
		if n != nil {
			n.gap.release()
		}
	}
}

// nodeEvent builds the local CUSTOM event for a state change.
func nodeEvent(sub string, sc esl.StateChange) *esl.Event {
	ev := esl.NewEvent("CUSTOM")
	ev.Add("Event-Subclass", sub)
	ev.Add("Node", sc.Node)
	ev.Add("Node-State", sc.State.String())
	ev.Add("Attempt", strconv.Itoa(sc.Attempt))
	if sc.Err != nil {
		ev.Add("Reason", sc.Err.Error())
	}
	ev.Node = sc.Node
	return ev
}
