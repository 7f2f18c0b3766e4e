package host

import (
	"strconv"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Local events that admit a gap: a window in which events of a call may
// have been missed, so that the script can resynchronise (uuid_dump) and
// treat what follows as possibly repeated.
const (
	// EventGap is raised for each call live on a node after the host
	// reconnected to it: events between Gap-Start and Gap-End may be
	// missing.
	EventGap = "eslscript::gap"
	// EventTakeover is raised for each call this instance of a fleet took
	// over from an instance that stopped: events between Gap-Start and
	// Gap-End may have been missed or, when Possible-Repeat is true,
	// may reach the script a second time.
	EventTakeover = "eslscript::takeover"
)

// GapEvent builds the local event sub (EventGap or EventTakeover) for the
// call uuid on node, whose events from start to end may be missing. It
// carries the headers Node, Unique-ID, Gap-Start and Gap-End (microseconds
// since the epoch, the unit of FreeSWITCH's Event-Date-Timestamp) and
// Gap-Reason; the caller adds what else it knows (the channel's state).
// Being a call's event, it runs in order with the call's other events.
func GapEvent(sub, node, uuid, reason string, start, end time.Time) *esl.Event {
	ev := esl.NewEvent("CUSTOM")
	ev.Add("Event-Subclass", sub)
	ev.Add("Node", node)
	if uuid != "" {
		ev.Add("Unique-ID", uuid)
	}
	ev.Add("Gap-Start", strconv.FormatInt(start.UnixMicro(), 10))
	ev.Add("Gap-End", strconv.FormatInt(end.UnixMicro(), 10))
	ev.Add("Gap-Reason", reason)
	ev.Node = node
	return ev
}
