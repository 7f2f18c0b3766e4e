package host

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// fakeOwnership admits by call uuid from a table; the leader flag is set
// by the test.
type fakeOwnership struct {
	mu      sync.Mutex
	verdict map[string]Admission
	lead    atomic.Bool
}

func (o *fakeOwnership) Admit(_ string, _ *esl.Event, _, uuid string, _ time.Time) Admission {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.verdict[uuid]
}

func (o *fakeOwnership) Leader() bool { return o.lead.Load() }

func (o *fakeOwnership) set(uuid string, a Admission) {
	o.mu.Lock()
	o.verdict[uuid] = a
	o.mu.Unlock()
}

// TestOwnershipDecidesWhatRunsHere: a withheld event runs no handler; a
// delivered one does; a node-level event on an instance that is not the
// leader reaches only the scripts declaring every_instance.
func TestOwnershipDecidesWhatRunsHere(t *testing.T) {
	own := &fakeOwnership{verdict: map[string]Admission{"mine": Admitted, "other": Withheld, "": EveryInstanceOnly}}
	th := startHost(t, map[string]string{
		"a.lua": `local rec = require("rec")
return { events = {
  CHANNEL_ANSWER = function(ev) rec.put("a", ev:get("Unique-ID"), ev:get("Event-Sequence")) end,
  HEARTBEAT = function(ev) rec.put("a-hb", ev:get("Event-Sequence")) end,
}}`,
		"b.lua": `local rec = require("rec")
return { every_instance = true, events = {
  HEARTBEAT = function(ev) rec.put("b-hb", ev:get("Event-Sequence")) end,
}}`,
	}, Options{Workers: 2, Ownership: own})
	if !th.Generation().Script("b").EveryInstance || th.Generation().Script("a").EveryInstance {
		t.Fatal("every_instance not read")
	}
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "other", 1), time.Now())
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "mine", 2), time.Now())
	th.dispatchEvent("n1", callEvent("HEARTBEAT", "", 3), time.Now())
	own.set("other", Admitted) // the call became ours: its event is handed back
	th.Deliver("n1", callEvent("CHANNEL_ANSWER", "other", 4), time.Now())
	// The two calls may run on different workers: their order is not fixed.
	seqs := map[string]string{}
	for _, r := range th.rec.waitCount(t, "a", 2) {
		seqs[r.vals[1]] = r.vals[2]
	}
	if seqs["mine"] != "2" || seqs["other"] != "4" {
		t.Fatalf("a handled %v, want mine's event 2 and other's delivered event 4", seqs)
	}
	th.rec.waitCount(t, "b-hb", 1)
	if n := len(th.rec.matching("a-hb")); n != 0 {
		t.Fatalf("a (not every_instance) got %d node-level events off the leader", n)
	}
	if n := len(th.rec.matching("a")); n != 2 {
		t.Fatalf("a handled %d call events, want 2 (the withheld one never)", n)
	}
}

// TestLeaderTimerStandsBy: a timer declared leader = true runs only
// while the Ownership says this instance leads; the others run anyway.
func TestLeaderTimerStandsBy(t *testing.T) {
	own := &fakeOwnership{verdict: map[string]Admission{}}
	th := startHost(t, map[string]string{"t.lua": `local rec = require("rec")
return { timers = {
  lead = { every = 10, leader = true, fn = function() rec.put("lead") end },
  any = { every = 10, fn = function() rec.put("any") end },
}}`}, Options{Workers: 1, Ownership: own})
	if sp := th.Generation().Script("t").Timers; !sp[1].Leader || sp[0].Leader {
		t.Fatalf("timers %+v: want lead's Leader set", sp)
	}
	th.rec.waitCount(t, "any", 5)
	if n := len(th.rec.matching("lead")); n != 0 {
		t.Fatalf("the leader's timer ran %d times on an instance standing by", n)
	}
	own.lead.Store(true)
	th.rec.waitCount(t, "lead", 1)
}

// TestLocalNodeEventsRunOffTheLeader: node_down, which this instance
// raises about its own connection, runs every script's handler on an
// instance that is not the leader; FreeSWITCH's node-level events do not.
func TestLocalNodeEventsRunOffTheLeader(t *testing.T) {
	own := &fakeOwnership{verdict: map[string]Admission{"": EveryInstanceOnly}}
	th := startHost(t, map[string]string{
		"a.lua": `local rec = require("rec")
return { events = {
  HEARTBEAT = function(ev) rec.put("a-hb", ev:get("Event-Sequence")) end,
  ["eslscript::node_down"] = function(ev) rec.put("a-down", ev:get("Node")) end,
}}`,
	}, Options{Workers: 1, Ownership: own})
	th.dispatchEvent("n1", callEvent("HEARTBEAT", "", 1), time.Now())
	th.NodeStateChanged(esl.StateChange{Node: "n1", State: esl.StateLost})
	if got := th.rec.waitCount(t, "a-down", 1); got[0].vals[1] != "n1" {
		t.Fatalf("node_down handled as %v", got)
	}
	if n := len(th.rec.matching("a-hb")); n != 0 { // one worker: the heartbeat came first
		t.Fatalf("a (not every_instance) got %d of FreeSWITCH's node-level events off the leader", n)
	}
}
