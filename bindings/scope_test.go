package bindings

import (
	"slices"
	"testing"
	"time"
)

// A timer and a bgapi callback run under the run that scheduled them:
// their esl.api goes to that run's FreeSWITCH and their log lines name its
// call and node, even after the host moved the state on to another call
// on another node. The scope of the run in progress is back afterwards.
func TestDeferredCallbacksRunUnderTheirRun(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	logger, buf := capture()
	fsA, fsB := &fakeCommander{}, &fakeCommander{}
	env := &Env{Clock: clk, Loop: q, Logger: logger, Node: "fsA", CallUUID: "call-A", ESL: fsA}
	L := newTestState(t, env)
	run(t, L, `
		require("timer").after(10, function()
			require("esl").api("status")
			require("log").info("fired")
		end)`)
	env.Node, env.CallUUID, env.ESL = "fsB", "call-B", fsB // the host's next handler
	clk.awaitAfter(t, 1)
	clk.Advance(10 * time.Millisecond)
	nextCallback(t, L, q)
	if !slices.Equal(fsA.apis, []string{"status"}) || len(fsB.apis) != 0 {
		t.Fatalf("timer's esl.api went to A %q, B %q; want A only", fsA.apis, fsB.apis)
	}
	if out := buf.String(); !contains(out, `"call":"call-A"`) || !contains(out, `"node":"fsA"`) {
		t.Fatalf("timer's log line %q does not name call-A on fsA", out)
	}
	if env.Node != "fsB" || env.CallUUID != "call-B" || env.ESL != fsB {
		t.Fatalf("scope after the callback: %s %s, want call-B's back", env.Node, env.CallUUID)
	}
}
