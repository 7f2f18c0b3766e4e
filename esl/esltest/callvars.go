package esltest

import (
	"bytes"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

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

// GrownCallEvents parses a capture of plain events (the bytes FreeSWITCH
// sent on an inbound connection), keeps the CHANNEL_* and CALL_* events in
// wire order and grows each call leg (by Unique-ID) with GrowCall: the
// "realistic mix" of channel events the benchmarks replay.
func GrownCallEvents(capture []byte) ([]*esl.Event, error) {
	var evs []*esl.Event
	legs := map[string][]*esl.Event{}
	err := esl.NewParser(0).Feed(capture, func(f *esl.Frame) error {
		if f.ContentType() != esl.TypeEventPlain {
			return nil
		}
		ev, err := esl.ParseEvent(esl.FormatPlain, bytes.Clone(f.Body))
		if err != nil || !isChannelEvent(ev.Name()) {
			return err // CODEC, HEARTBEAT, API, RE_SCHEDULE...
		}
		evs = append(evs, ev)
		legs[ev.UniqueID()] = append(legs[ev.UniqueID()], ev)
		return nil
	})
	for _, leg := range legs {
		GrowCall(leg)
	}
	return evs, err
}

// isChannelEvent reports whether name is a CHANNEL_* or CALL_* event.
func isChannelEvent(name string) bool {
	return strings.HasPrefix(name, "CHANNEL_") || strings.HasPrefix(name, "CALL_")
}
