package conformance

import (
	"strconv"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios,
		scenario{"bridge/uuid-bridge-park-after-bridge", bridgeParkAfterBridge},
	)
}

// bridgeParkAfterBridge: two parked calls are joined with uuid_bridge;
// the first has park_after_bridge=true. When the second hangs up, the
// first leaves the bridge (CHANNEL_UNBRIDGE) and is parked again
// (CHANNEL_PARK) instead of going back to what it ran before: how
// freeswitch.bridge keeps the script's call.
func bridgeParkAfterBridge(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	w := tg.Watch()
	a, b := realfs.NewUUID(), realfs.NewUUID()
	tr.Redact(a, "A")
	tr.Redact(b, "B")
	for _, id := range []string{a, b} {
		tr.Add("originate: %s", api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+" &park"))
		w.WaitLeg(t, id, "CHANNEL_PARK")
	}
	tr.Add("setvar: %s", api(t, c, "uuid_setvar "+a+" park_after_bridge true"))
	tr.Add("bridge: %s", api(t, c, "uuid_bridge "+a+" "+b))
	br := seq(w.WaitLeg(t, a, "CHANNEL_BRIDGE"))
	tr.Add("kill b: %s", api(t, c, "uuid_kill "+b))
	w.Wait(t, "a parked after the bridge", func(ev *esl.Event) bool {
		return ev.UniqueID() == a && ev.Name() == "CHANNEL_PARK" && seq(ev) > br
	})
	tr.Add("a exists: %s", api(t, c, "uuid_exists "+a))
	tr.Add("kill a: %s", api(t, c, "uuid_kill "+a))
	w.WaitLeg(t, a, "CHANNEL_HANGUP_COMPLETE")
	tr.Events("a", only(after(w.Leg(a), named("CHANNEL_BRIDGE")),
		"CHANNEL_UNBRIDGE", "CHANNEL_PARK", "CHANNEL_UNPARK", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE"))
}

// seq is an event's Event-Sequence.
func seq(ev *esl.Event) int {
	n, _ := strconv.Atoi(ev.Get("Event-Sequence"))
	return n
}
