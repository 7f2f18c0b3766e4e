package host

import (
	"fmt"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// keepPrevious records, for every event, the headers of the current event
// object and of the one the previous call kept.
const keepPrevious = `local rec = require("rec")
local prev
return { events = { ["*"] = function(ev)
  local p = prev or ev
  rec.put("ev", ev:get("Event-Name"), tostring(ev:get("Unique-ID")), ev:uuid(), ev:name(),
    p:get("Event-Name"), tostring(p:getHeader("Unique-ID")), p:uuid())
  prev = ev
end }}
`

// plainEvent parses a plain event with the given header lines.
func plainEvent(t *testing.T, lines string) *esl.Event {
	t.Helper()
	ev, err := esl.ParseEvent(esl.FormatPlain, []byte(lines+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestDispatchEventObjectHeaders checks the headers a handler reads from
// its event object, and from an object it kept from an earlier call (the
// worker hands each state the Event-Name and Unique-ID it looked up).
func TestDispatchEventObjectHeaders(t *testing.T) {
	th := startHost(t, map[string]string{"keep.lua": keepPrevious}, Options{Workers: 1})
	evs := []*esl.Event{
		plainEvent(t, "Event-Name: CHANNEL_CREATE\nUnique-ID: u-1\n"),
		plainEvent(t, "Event-Name: CHANNEL_ANSWER\nunique-id: u-2\n"),
		plainEvent(t, "Event-Name: CHANNEL_HANGUP\nChannel-Call-UUID: c-3\n"),
		plainEvent(t, "Event-Name: CHANNEL_DESTROY\nUnique-ID:\nChannel-Call-UUID: c-4\n"),
	}
	for _, ev := range evs {
		th.dispatchEvent("n1", ev, time.Now())
	}
	want := []string{
		"CHANNEL_CREATE u-1 u-1 CHANNEL_CREATE | CHANNEL_CREATE u-1 u-1",
		"CHANNEL_ANSWER u-2 u-2 CHANNEL_ANSWER | CHANNEL_CREATE u-1 u-1",
		"CHANNEL_HANGUP nil c-3 CHANNEL_HANGUP | CHANNEL_ANSWER u-2 u-2",
		"CHANNEL_DESTROY  c-4 CHANNEL_DESTROY | CHANNEL_HANGUP nil c-3",
	}
	recs := th.rec.waitCount(t, "ev", len(want))
	for i, r := range recs {
		v := r.vals[1:]
		got := fmt.Sprintf("%s %s %s %s | %s %s %s", v[0], v[1], v[2], v[3], v[4], v[5], v[6])
		if got != want[i] {
			t.Errorf("event %d: got %q, want %q", i, got, want[i])
		}
	}
}
