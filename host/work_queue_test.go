package host

import (
	"testing"
	"time"
)

// A repeating timer keeps ticking through a burst that fills its worker's
// queue: its tick is queued beside the full queue of events (a callback is
// never refused for a full queue), and it ticks on once the burst is
// handled. It used to end for good at the first tick that met a full queue.
func TestTimerEverySurvivesAFullQueue(t *testing.T) {
	src := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  if ev:get("Event-Sequence") == "0" then
    require("timer").every(5, function() rec.put("tick") end)
    rec.put("start")
    rec.wait("go")
  end
end }}
`
	th := startHost(t, map[string]string{"q.lua": src}, Options{Workers: 1, QueueSize: 2})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 0), time.Now())
	th.rec.waitCount(t, "start", 1) // the worker holds seq 0
	for seq := 1; seq <= 4; seq++ {
		th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", seq), time.Now())
	}
	th.obs.waitFor(t, "two drops", func() bool { return th.obs.dropped["q/queue_full"] == 2 })
	waitUntil(t, "a tick queued behind the full queue", func() bool { return th.disp.queued() == 3 })
	close(th.rec.gate("go"))
	th.rec.waitCount(t, "tick", 5)
}

// waitUntil polls cond until it holds, failing after testWait.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// The worker queue takes no memory up front and frees a large array once
// drained; events past the limit are refused, callbacks never.
func TestWorkQueueGrowsOnDemand(t *testing.T) {
	q := newWorkQueue(2, nil)
	if cap(q.items) != 0 {
		t.Fatalf("new queue holds %d slots", cap(q.items))
	}
	ev := callEvent("CHANNEL_ANSWER", "c1", 0)
	for i, want := range []string{"", "", "queue_full"} {
		if got := q.push(item{ev: ev}); got != want {
			t.Fatalf("event push %d = %q, want %q", i, got, want)
		}
	}
	for range 3 * shrinkAbove {
		if got := q.push(item{cb: &posted{}}); got != "" {
			t.Fatalf("callback refused: %q", got)
		}
	}
	for range 2 + 3*shrinkAbove {
		if _, ok := q.pop(); !ok {
			t.Fatal("pop failed")
		}
	}
	if q.len() != 0 || cap(q.items) != 0 {
		t.Fatalf("drained queue: len %d, cap %d", q.len(), cap(q.items))
	}
	q.close()
	if got := q.push(item{cb: &posted{}}); got != "shutdown" {
		t.Fatalf("push after close = %q", got)
	}
	if _, ok := q.pop(); ok {
		t.Fatal("pop after close returned an item")
	}
}
