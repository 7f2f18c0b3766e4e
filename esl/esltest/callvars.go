package esltest

import "github.com/eslscript/eslscript/esl"

// Header counts of the events GrowCall makes: a call's first event keeps
// its own headers, the last has about MaxCallHeaders.
const MaxCallHeaders = 280

// GrowCall makes the events of one call leg (in the order FreeSWITCH sent
// them) look like those of a busy SIP call: each event gets channel
// variables from a catalogue of what a sofia call accumulates (dialog,
// directory user, SDP, bridge, CDR timings, RTP statistics), in order, so
// that the header count rises linearly from the first event's own to
// MaxCallHeaders at the last. On FreeSWITCH's own captures that is about
// 2 KB and 60-80 headers at CHANNEL_CREATE up to 14 KB at the end, in
// plain. Variables an event already has are not added twice.
func GrowCall(events []*esl.Event) {
	if len(events) == 0 {
		return
	}
	first := events[0].Len()
	for i, ev := range events {
		want := first
		if n := len(events) - 1; n > 0 {
			want += (MaxCallHeaders - first) * i / n
		}
		growEvent(ev, want)
	}
}

// growEvent adds catalogue variables to ev until it has want headers or
// the catalogue is used up.
func growEvent(ev *esl.Event, want int) {
	for _, kv := range callVarCatalogue {
		if ev.Len() >= want {
			return
		}
		name := "variable_" + kv[0]
		if _, ok := ev.Lookup(name); !ok {
			ev.Add(name, kv[1])
		}
	}
}
