package esltest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// callLeg builds n events of one leg with 60 headers each.
func callLeg(n int) []*esl.Event {
	evs := make([]*esl.Event, n)
	for i := range evs {
		ev := esl.NewEvent("CHANNEL_STATE")
		for j := ev.Len(); j < 60; j++ {
			ev.Add(fmt.Sprintf("H-%d", j), "x")
		}
		evs[i] = ev
	}
	return evs
}

func TestGrowCallRisesToMax(t *testing.T) {
	evs := callLeg(12)
	esltest.GrowCall(evs)
	prev := 0
	for i, ev := range evs {
		if ev.Len() < prev {
			t.Fatalf("event %d: %d headers, fewer than the one before (%d)", i, ev.Len(), prev)
		}
		prev = ev.Len()
	}
	if got := evs[0].Len(); got != 60 {
		t.Fatalf("first event has %d headers, want its own 60", got)
	}
	last := evs[len(evs)-1]
	if last.Len() != esltest.MaxCallHeaders {
		t.Fatalf("last event has %d headers, want %d", last.Len(), esltest.MaxCallHeaders)
	}
	if size := len(last.AppendPlain(nil)); size < 10<<10 || size > 14<<10 {
		t.Fatalf("last event is %d bytes in plain, want 10-14 KB (the catalogue adds about 10 KB)", size)
	}
	if got := last.Var("sip_from_user"); got != "1001" {
		t.Fatalf("variable_sip_from_user = %q", got)
	}
}

func TestGrowCallKeepsExistingVariables(t *testing.T) {
	evs := callLeg(2)
	evs[1].Add("variable_sip_from_user", "alice")
	esltest.GrowCall(evs)
	if vals := evs[1].Values("variable_sip_from_user"); len(vals) != 1 || vals[0] != "alice" {
		t.Fatalf("variable_sip_from_user = %q, want only the event's own value", vals)
	}
}

// The captured call grows into the mix: channel events only, each
// leg rising to MaxCallHeaders, 2-14 KB in plain.
func TestGrownCallEventsFromCapture(t *testing.T) {
	raw, err := os.ReadFile("../testdata/freeswitch-1.10.12/inbound-events-plain.txt")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := esltest.GrownCallEvents(raw)
	if err != nil || len(evs) == 0 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	last := map[string]int{}
	for i, ev := range evs {
		name := ev.Name()
		if !strings.HasPrefix(name, "CHANNEL_") && !strings.HasPrefix(name, "CALL_") {
			t.Fatalf("event %d is %s", i, name)
		}
		if size := len(ev.AppendPlain(nil)); size < 1900 || size > 14<<10 {
			t.Errorf("event %d (%s) is %d bytes", i, name, size)
		}
		last[ev.UniqueID()] = ev.Len()
	}
	for leg, n := range last {
		if n != esltest.MaxCallHeaders {
			t.Errorf("leg %s ends with %d headers, want %d", leg, n, esltest.MaxCallHeaders)
		}
	}
}
