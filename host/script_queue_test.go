package host

import (
	"fmt"
	"testing"
	"time"
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
