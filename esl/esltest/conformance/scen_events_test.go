package conformance

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios,
		scenario{"events/originate-park-kill-lifecycle", eventsLifecycle},
	)
}

// lifecycleEvents are the channel events of a call's life an inbound
// consumer sees.
var lifecycleEvents = []string{"CHANNEL_CREATE", "CHANNEL_OUTGOING", "CHANNEL_ORIGINATE", "CHANNEL_STATE",
	"CHANNEL_CALLSTATE", "CHANNEL_ANSWER", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_PARK",
	"CHANNEL_UNPARK", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY", "CHANNEL_PROGRESS_MEDIA"}

// eventsLifecycle: an originated call parked, then killed, as an inbound
// consumer of every event sees its leg.
func eventsLifecycle(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	tr.Add("originate: %q", api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+" &park"))
	w := tg.Watch()
	w.WaitLeg(t, id, "CHANNEL_PARK")
	tr.Add("kill: %q", api(t, c, "uuid_kill "+id))
	w.Wait(t, "CS_DESTROY", func(ev *esl.Event) bool {
		return ev.UniqueID() == id && ev.Name() == "CHANNEL_STATE" && ev.Get("Channel-State") == "CS_DESTROY"
	})
	// The originating thread and the channel's own race: CHANNEL_ANSWER
	// against CS_CONSUME_MEDIA and against CHANNEL_ORIGINATE, and the
	// channel's thread may run CS_EXECUTE without CS_ROUTING and
	// CS_CONSUME_MEDIA when the originate set them before it woke (seen
	// on the real server under load). States, call states and
	// CHANNEL_ORIGINATE are kept apart; the states FreeSWITCH may skip are
	// checked for their order only.
	var states, skippable, callStates []string
	originates := 0
	for _, ev := range only(w.Leg(id), lifecycleEvents...) {
		switch ev.Name() {
		case "CHANNEL_STATE":
			if st := ev.Get("Channel-State"); st == "CS_ROUTING" || st == "CS_CONSUME_MEDIA" {
				skippable = append(skippable, st)
			} else {
				states = append(states, st)
			}
		case "CHANNEL_CALLSTATE":
			callStates = append(callStates, ev.Get("Channel-Call-State"))
		case "CHANNEL_ORIGINATE":
			originates++
		default:
			tr.Add("leg: %s [%s]", describe(ev), ev.Get("Answer-State"))
		}
	}
	tr.Add("CHANNEL_ORIGINATE events: %d", originates)
	tr.Add("states: %s", strings.Join(states, ", "))
	tr.Add("skippable states in order (CS_ROUTING before CS_CONSUME_MEDIA, once each): %v",
		subsequence(skippable, []string{"CS_ROUTING", "CS_CONSUME_MEDIA"}))
	tr.Add("call states: %s", strings.Join(callStates, ", "))
}

// subsequence reports whether a is b with some elements left out.
func subsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

func init() {
	scenarios = append(scenarios, scenario{"api/eval-msleep", apiEvalMsleep})
}

// apiEvalMsleep: eval expands globals and a call's variables; msleep.
func apiEvalMsleep(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	tr.Add("eval global: %q", api(t, c, "eval ${domain} and $${local_ip_v4}"))
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	api(t, c, "originate {origination_uuid="+id+",my_v=hello}"+tg.Dial("park")+" &park")
	tr.Add("eval call: %q", api(t, c, "eval uuid:"+id+" ${my_v} ${uuid} ${variable_my_v} ${Unique-ID} ${Caller-Destination-Number}"))
	tr.Add("msleep: %q", api(t, c, "msleep 10"))
	tr.Add("kill: %q", api(t, c, "uuid_kill "+id))
}
