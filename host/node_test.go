package host

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// addSimNode dials the simulator and adds it to th as node "fs1".
func addSimNode(t *testing.T, th *testHost, sim *esltest.Server) *esl.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password(), Node: "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := th.AddNode(ctx, "fs1", c); err != nil {
		t.Fatal(err)
	}
	return c
}

func waitSimSubscribed(t *testing.T, sim *esltest.Server, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := sim.WaitSubscribed(ctx, name); err != nil {
		t.Fatal(err)
	}
}

func seqEvent(sim *esltest.Server, name, uuid string, seq int) *esl.Event {
	ev := sim.NewEvent(name)
	ev.Add("Unique-ID", uuid)
	ev.Add("X-Seq", fmt.Sprint(seq))
	return ev
}

func TestNodeEventsReachHandlersInCallOrder(t *testing.T) {
	src := `local rec = require("rec")
return { events = {
  CHANNEL_STATE = function(ev) rec.put("ev", ev:get("Unique-ID"), ev:get("X-Seq"), ev.node) end,
  ["sofia::register"] = function(ev) rec.put("reg", ev:get("Event-Subclass")) end,
}}
`
	th := startHost(t, map[string]string{"n.lua": src}, Options{Workers: 4})
	sim := esltest.New(t, esltest.Options{})
	addSimNode(t, th, sim)
	waitSimSubscribed(t, sim, "CHANNEL_STATE")
	waitSimSubscribed(t, sim, "CUSTOM sofia::register")
	const calls, perCall = 20, 25
	for seq := range perCall {
		for c := range calls {
			sim.Fire(seqEvent(sim, "CHANNEL_STATE", fmt.Sprintf("call-%d", c), seq))
		}
	}
	sim.Fire(sim.CustomEvent("sofia::register"))
	sim.Fire(sim.CustomEvent("sofia::unregister"))
	next := map[string]int{}
	for _, r := range th.rec.waitCount(t, "ev", calls*perCall) {
		if seq := mustAtoi(t, r.vals[2]); seq != next[r.vals[1]] || r.vals[3] != "fs1" {
			t.Fatalf("recEntry %v: want seq %d from fs1", r.vals, next[r.vals[1]])
		}
		next[r.vals[1]]++
	}
	if regs := th.rec.waitCount(t, "reg", 1); len(regs) != 1 || regs[0].vals[1] != "sofia::register" {
		t.Fatalf("custom handler records = %v", regs)
	}
	if st := th.Status(); len(st.Nodes) != 1 || st.Nodes[0].State != esl.StateConnected {
		t.Fatalf("status nodes = %+v", st.Nodes)
	}
}

func TestNodeSubscribesToNamesAddedByReload(t *testing.T) {
	gen1 := `return { events = { CHANNEL_ANSWER = function(ev) end }}`
	gen2 := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev) end, DTMF = function(ev) rec.put("dtmf", ev:get("X-Seq")) end }}
`
	th := startHost(t, map[string]string{"d.lua": gen1}, Options{})
	sim := esltest.New(t, esltest.Options{})
	addSimNode(t, th, sim)
	waitSimSubscribed(t, sim, "CHANNEL_ANSWER")
	if sim.Subscribed("DTMF") {
		t.Fatal("subscribed to DTMF before any script handles it")
	}
	th.write(t, "d.lua", gen2)
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	waitSimSubscribed(t, sim, "DTMF")
	sim.Fire(seqEvent(sim, "DTMF", "c1", 7))
	if got := th.rec.waitCount(t, "dtmf", 1)[0].vals[1]; got != "7" {
		t.Fatalf("DTMF handler got seq %s", got)
	}
}

func TestNodeReloadDuringTrafficLosesNothing(t *testing.T) {
	th := startHost(t, map[string]string{"s.lua": genScript("g1")}, Options{Workers: 4})
	sim := esltest.New(t, esltest.Options{})
	addSimNode(t, th, sim)
	waitSimSubscribed(t, sim, "CHANNEL_STATE")
	reloaded := make(chan struct{})
	totalc := make(chan int, 1)
	go func() { totalc <- fireUntil(th, sim, reloaded, 1000) }()
	th.rec.waitCount(t, "ev", 500)
	th.write(t, "s.lua", genScript("g2"))
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	close(reloaded)
	total := <-totalc
	recs := th.rec.waitCount(t, "ev", total)
	seen, last := map[string]string{}, map[string]int{}
	for _, r := range recs {
		seq := r.vals[3] // Event-Sequence, assigned by the simulator
		if _, dup := seen[seq]; dup {
			t.Fatalf("Event-Sequence %s handled twice", seq)
		}
		seen[seq] = r.vals[1]
		if n := mustAtoi(t, seq); n <= last[r.vals[2]] {
			t.Fatalf("call %s: Event-Sequence %d after %d", r.vals[2], n, last[r.vals[2]])
		} else {
			last[r.vals[2]] = n
		}
	}
	if len(seen) != total || countByGen(recs, "g1") < 500 || countByGen(recs, "g2") < 1000 {
		t.Fatalf("handled %d distinct events (g1 %d, g2 %d), want %d split over both",
			len(seen), countByGen(recs, "g1"), countByGen(recs, "g2"), total)
	}
	th.shutdown(t) // handles whatever is still queued
	if n := len(th.rec.matching("ev")); n != total {
		t.Fatalf("handled %d events, want %d", n, total)
	}
}

// fireUntil fires CHANNEL_STATE events of 30 calls, keeping at most about
// 1000 unhandled, until reloaded is closed and after more were fired; it
// returns how many it fired.
func fireUntil(th *testHost, sim *esltest.Server, reloaded <-chan struct{}, after int) int {
	seq, stopAt, give := 0, -1, time.Now().Add(testWait)
	for seq != stopAt {
		if stopAt < 0 {
			select {
			case <-reloaded:
				stopAt = seq + after
			default:
			}
		}
		for seq-th.rec.count() > 1000 && time.Now().Before(give) {
			runtime.Gosched() // let the workers catch up
		}
		sim.Fire(seqEvent(sim, "CHANNEL_STATE", fmt.Sprintf("c%d", seq%30), seq))
		seq++
	}
	return seq
}
