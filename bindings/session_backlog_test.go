package bindings

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// customEvent is a CUSTOM event of subclass sub padded to about size bytes.
func customEvent(sub string, size int) *esl.Event {
	ev := esl.NewEvent("CUSTOM")
	ev.Add("Event-Subclass", sub)
	ev.Add("variable_padding", strings.Repeat("x", size))
	return ev
}

// backlogHas runs waitForEvent(name) with a 1 ms timeout (the events are
// all queued before the script runs, so a kept one is found at once).
func backlogHas(t *testing.T, call *fakeCall, names ...string) map[string]bool {
	t.Helper()
	L := sessionState(t, &testEnv{}, call)
	got := map[string]bool{}
	for _, name := range names {
		if err := L.DoString(fmt.Sprintf(`ev, err = session:waitForEvent(%q, 1)`, name)); err != nil {
			t.Fatal(err)
		}
		got[name] = global(L, "err") != "timeout"
	}
	return got
}

// The backlog keeps the last 64 events.
func TestSessionBacklogKeepsLast64(t *testing.T) {
	call := newFakeCall()
	for i := 1; i <= 70; i++ {
		call.events <- customEvent(fmt.Sprintf("small::%d", i), 10)
	}
	got := backlogHas(t, call, "small::6", "small::7", "small::70")
	if got["small::6"] || !got["small::7"] || !got["small::70"] {
		t.Fatalf("kept %v, want small::7..70 only", got)
	}
}

// Large events are kept up to maxEventBytes: twelve 16 KiB events leave
// the newest seven (7 x 16 KiB fits in 128 KiB, 8 do not with headers).
func TestSessionBacklogByteBudget(t *testing.T) {
	call := newFakeCall()
	for i := 1; i <= 12; i++ {
		call.events <- customEvent(fmt.Sprintf("big::%d", i), 16<<10)
	}
	got := backlogHas(t, call, "big::5", "big::6", "big::12")
	if got["big::5"] || !got["big::6"] || !got["big::12"] {
		t.Fatalf("kept %v, want big::6..12 only", got)
	}
}

// A single event larger than the budget is still kept (the newest always is).
func TestSessionBacklogKeepsNewestOversized(t *testing.T) {
	call := newFakeCall()
	call.events <- customEvent("huge::1", maxEventBytes+1)
	if got := backlogHas(t, call, "huge::1"); !got["huge::1"] {
		t.Fatal("the newest event was dropped")
	}
}
