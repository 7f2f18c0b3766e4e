package host

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// TestScriptQueueCapDropsOnlyTheSlowScript blocks one script's handler and
// keeps dispatching to it: past ScriptQueue its new events are dropped
// with reason script_queue_full, while another script (on another worker)
// still gets every event; the slow script's queue drains afterwards.
func TestScriptQueueCapDropsOnlyTheSlowScript(t *testing.T) {
	slow := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  rec.put("slow", ev:get("Event-Sequence"))
  if ev:get("Event-Sequence") == "0" then rec.wait("go") end
end }}
`
	fast := `local rec = require("rec")
return { events = { HEARTBEAT = function(ev) rec.put("fast", ev:get("Event-Sequence")) end }}
`
	th := startHost(t, map[string]string{"slow.lua": slow, "fast.lua": fast}, Options{Workers: 2, ScriptQueue: 3})
	call := callOnOtherShard(t, th, "HEARTBEAT")
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", call, 0), time.Now())
	th.rec.waitCount(t, "slow", 1) // a worker is held inside slow's handler for seq 0
	for seq := 1; seq <= 5; seq++ {
		th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", call, seq), time.Now())
	}
	// seq 0 (running) + seqs 1 and 2 fill slow's 3 slots; 3, 4, 5 are dropped.
	th.obs.waitFor(t, "slow's drops", func() bool { return th.obs.dropped["slow/script_queue_full"] == 3 })
	for seq := 1; seq <= 5; seq++ { // the other script is not held up
		th.dispatchEvent("n1", callEvent("HEARTBEAT", "", seq), time.Now())
		if recs := th.rec.waitCount(t, "fast", seq); recs[seq-1].vals[1] != fmt.Sprint(seq) {
			t.Fatalf("fast handled %v", recs)
		}
	}
	if n := th.obs.dropped["fast/script_queue_full"]; n != 0 {
		t.Fatalf("fast script lost %d events", n)
	}
	close(th.rec.gate("go"))
	if slowRecs := th.rec.waitCount(t, "slow", 3); slowRecs[2].vals[1] != "2" {
		t.Fatalf("slow handled up to seq %s, want 2", slowRecs[2].vals[1])
	}
	th.obs.waitFor(t, "slow's queue empty", func() bool { return th.squeue.queued("slow") == 0 })
}

// callOnOtherShard returns a call uuid whose events go to another worker
// than events named name without a uuid.
func callOnOtherShard(t *testing.T, th *testHost, name string) string {
	for i := 0; i < 100; i++ {
		uuid := fmt.Sprintf("call-%d", i)
		if th.disp.shardOf(uuid, "") != th.disp.shardOf("", name) {
			return uuid
		}
	}
	t.Fatal("no uuid on another shard")
	return ""
}

// TestScriptQueueByteCap holds a script's handler and dispatches large
// events to it: past ScriptQueueBytes its new events are dropped although
// the count cap is far away, even a small one once the bytes are used up,
// and every byte is given back once the queue drains.
func TestScriptQueueByteCap(t *testing.T) {
	slow := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  rec.put("slow", ev:get("Event-Sequence"))
  if ev:get("Event-Sequence") == "0" then rec.wait("go") end
end }}
`
	big := func(seq int) *esl.Event {
		ev := callEvent("CHANNEL_ANSWER", "call-big", seq)
		ev.SetBody(strings.Repeat("x", 10_000))
		return ev
	}
	cost := eventCost(big(1).Size())
	th := startHost(t, map[string]string{"slow.lua": slow}, Options{Workers: 1, ScriptQueue: 1000, ScriptQueueBytes: 3 * cost})
	th.dispatchEvent("n1", big(0), time.Now())
	th.rec.waitCount(t, "slow", 1) // held in the handler: seq 0 still counts
	for seq := 1; seq <= 4; seq++ {
		th.dispatchEvent("n1", big(seq), time.Now())
	}
	// seq 0 + 1 + 2 fill the 3 events' worth of bytes; 3 and 4 are dropped.
	th.obs.waitFor(t, "slow's drops", func() bool { return th.obs.dropped["slow/script_queue_full"] == 2 })
	if got := th.squeue.queuedBytes("slow"); got != 3*cost {
		t.Fatalf("queued bytes %d, want %d", got, 3*cost)
	}
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "call-big", 5), time.Now()) // over the bytes too: the cap is full
	th.obs.waitFor(t, "the small event dropped", func() bool { return th.obs.dropped["slow/script_queue_full"] == 3 })
	close(th.rec.gate("go"))
	if recs := th.rec.waitCount(t, "slow", 3); recs[2].vals[1] != "2" {
		t.Fatalf("slow handled up to seq %s, want 2", recs[2].vals[1])
	}
	th.obs.waitFor(t, "slow's queue empty", func() bool {
		return th.squeue.queued("slow") == 0 && th.squeue.queuedBytes("slow") == 0
	})
	th.dispatchEvent("n1", big(6), time.Now()) // room again
	if recs := th.rec.waitCount(t, "slow", 4); recs[3].vals[1] != "6" {
		t.Fatalf("after draining, handled %v", recs)
	}
}
