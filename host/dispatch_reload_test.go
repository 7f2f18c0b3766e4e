package host

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

func genScript(gen string) string {
	return fmt.Sprintf(`local rec = require("rec")
return { events = {
  CHANNEL_STATE = function(ev) rec.put("ev", %q, ev:get("Unique-ID"), ev:get("Event-Sequence")) end,
}}
`, gen)
}

// TestReloadSplitsTrafficExactly swaps generations in the middle of a
// stream, from the dispatching goroutine: every event before the swap is
// handled by gen 1, every later one by gen 2, each exactly once.
func TestReloadSplitsTrafficExactly(t *testing.T) {
	th := startHost(t, map[string]string{"s.lua": genScript("g1")}, Options{Workers: 4})
	const total, swapAt = 4000, 2000
	for seq := range total {
		if seq == swapAt {
			th.write(t, "s.lua", genScript("g2"))
			if err := th.Reload(); err != nil {
				t.Fatal(err)
			}
		}
		th.dispatchEvent("n1", callEvent("CHANNEL_STATE", fmt.Sprintf("c%d", seq%50), seq), time.Now())
	}
	seen := handledOnce(t, th.rec.waitCount(t, "ev", total), total)
	for seq, gen := range seen {
		if want := map[bool]string{true: "g1", false: "g2"}[seq < swapAt]; gen != want {
			t.Fatalf("seq %d handled by %s, want %s", seq, gen, want)
		}
	}
}

// TestReloadDuringConcurrentTraffic reloads from another goroutine while
// events flow: none is lost or doubled and each call moves from gen 1 to
// gen 2 once, never back.
func TestReloadDuringConcurrentTraffic(t *testing.T) {
	th := startHost(t, map[string]string{"s.lua": genScript("g1")}, Options{Workers: 4})
	reloaded := make(chan struct{})
	totalc := make(chan int, 1)
	go func() { totalc <- dispatchUntil(th, reloaded, 2000) }()
	th.rec.waitCount(t, "ev", 1000)
	th.write(t, "s.lua", genScript("g2"))
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	close(reloaded)
	total := <-totalc
	recs := th.rec.waitCount(t, "ev", total)
	handledOnce(t, recs, total)
	lastGen, lastSeq := map[string]string{}, map[string]int{}
	for _, r := range recs {
		gen, call, seq := r.vals[1], r.vals[2], mustAtoi(t, r.vals[3])
		if lastGen[call] == "g2" && gen == "g1" {
			t.Fatalf("call %s went back to g1 at seq %d", call, seq)
		}
		if prev, ok := lastSeq[call]; ok && seq <= prev {
			t.Fatalf("call %s: seq %d after %d", call, seq, prev)
		}
		lastGen[call], lastSeq[call] = gen, seq
	}
	th.shutdown(t) // handles what is still queued
	if n := len(th.rec.matching("ev")); n != total {
		t.Fatalf("handled %d events, want %d", n, total)
	}
	if countByGen(recs, "g1") < 1000 || countByGen(recs, "g2") < 2000 {
		t.Fatalf("g1 handled %d, g2 %d: want both generations in the stream", countByGen(recs, "g1"), countByGen(recs, "g2"))
	}
}

// dispatchUntil dispatches CHANNEL_STATE events of 50 calls, keeping the
// queues short, until reloaded is closed and after more events; it
// returns how many it dispatched.
func dispatchUntil(th *testHost, reloaded <-chan struct{}, after int) int {
	seq, stopAt, give := 0, -1, time.Now().Add(testWait)
	for seq != stopAt {
		if stopAt < 0 {
			select {
			case <-reloaded:
				stopAt = seq + after
			default:
			}
		}
		for th.disp.queued() > 500 && time.Now().Before(give) {
			runtime.Gosched() // let the workers catch up
		}
		th.dispatchEvent("n1", callEvent("CHANNEL_STATE", fmt.Sprintf("c%d", seq%50), seq), time.Now())
		seq++
	}
	return seq
}

// handledOnce checks that seqs 0..total-1 were each handled exactly once
// and returns the generation that handled each.
func handledOnce(t *testing.T, recs []recEntry, total int) map[int]string {
	t.Helper()
	seen := map[int]string{}
	for _, r := range recs {
		seq := mustAtoi(t, r.vals[3])
		if g, dup := seen[seq]; dup {
			t.Fatalf("seq %d handled twice (%s and %s)", seq, g, r.vals[1])
		}
		seen[seq] = r.vals[1]
	}
	if len(seen) != total {
		t.Fatalf("handled %d distinct events, want %d", len(seen), total)
	}
	return seen
}

func TestBrokenReloadKeepsRunningGeneration(t *testing.T) {
	th := startHost(t, map[string]string{"s.lua": genScript("g1")}, Options{Workers: 2})
	th.write(t, "s.lua", "return {")
	if err := th.Reload(); err == nil {
		t.Fatal("Reload of a broken script succeeded")
	}
	th.dispatchEvent("n1", callEvent("CHANNEL_STATE", "c1", 0), time.Now())
	if got := th.rec.waitCount(t, "ev", 1)[0].vals[1]; got != "g1" {
		t.Fatalf("handled by %s, want g1", got)
	}
	if st := th.Status(); st.Generation != 1 {
		t.Fatalf("generation %d after failed reload, want 1", st.Generation)
	}
	if len(th.obs.reloads) != 1 || th.obs.reloads[0] != "false/1" {
		t.Fatalf("observer reloads = %v, want [false/1]", th.obs.reloads)
	}
}

func TestWatchReloadsAndSurvivesABrokenSave(t *testing.T) {
	th := startHost(t, map[string]string{"s.lua": genScript("g1")}, Options{WatchDebounce: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- th.Watch(ctx) }()
	defer func() {
		cancel()
		if err := <-watched; err != nil {
			t.Errorf("Watch = %v", err)
		}
	}()
	// The watcher may not be watching yet: save again until it reports.
	deadline := time.After(testWait)
	for th.obs.reloadCount() == 0 {
		th.write(t, "s.lua", "return {")
		select {
		case <-th.obs.notify:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("watcher never reported the broken save")
		}
	}
	th.obs.waitFor(t, "failed reload", func() bool { return th.obs.reloads[0] == "false/1" })
	th.write(t, "s.lua", genScript("g2"))
	th.obs.waitFor(t, "reload to gen 2", func() bool { return th.obs.reloads[len(th.obs.reloads)-1] == "true/2" })
	th.dispatchEvent("n1", callEvent("CHANNEL_STATE", "c1", 0), time.Now())
	if got := th.rec.waitCount(t, "ev", 1)[0].vals[1]; got != "g2" {
		t.Fatalf("handled by %s after the fixed save, want g2", got)
	}
}
