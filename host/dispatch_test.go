package host

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

const recordState = `local rec = require("rec")
return { events = {
  CHANNEL_STATE = function(ev) rec.put("ev", ev:get("Unique-ID"), ev:get("Event-Sequence")) end,
}}
`

func TestDispatchKeepsEachCallInOrder(t *testing.T) {
	th := startHost(t, map[string]string{"calls.lua": recordState}, Options{Workers: 4})
	const calls, perCall = 100, 30
	for seq := range perCall {
		for c := range calls {
			th.dispatchEvent("n1", callEvent("CHANNEL_STATE", fmt.Sprintf("call-%d", c), seq), time.Now())
		}
	}
	recs := th.rec.waitCount(t, "ev", calls*perCall)
	next := map[string]int{}
	for _, r := range recs {
		uuid, seq := r.vals[1], mustAtoi(t, r.vals[2])
		if seq != next[uuid] {
			t.Fatalf("call %s: got seq %d, want %d", uuid, seq, next[uuid])
		}
		next[uuid]++
	}
	if len(recs) != calls*perCall || len(next) != calls {
		t.Fatalf("handled %d events of %d calls, want %d of %d", len(recs), len(next), calls*perCall, calls)
	}
}

func TestDispatchRunsCallsInParallel(t *testing.T) {
	a, b := uuidsOnDifferentShards(t, 4)
	src := fmt.Sprintf(`local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  if ev:get("Unique-ID") == %q then
    rec.put("a-done", rec.wait("b-started"))
  else
    rec.open("b-started")
  end
end }}
`, a)
	th := startHost(t, map[string]string{"par.lua": src}, Options{Workers: 4})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", a, 1), time.Now())
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", b, 1), time.Now())
	if got := th.rec.waitCount(t, "a-done", 1)[0].vals[1]; got != "true" {
		t.Fatalf("call a's handler did not see call b's run while it waited (%s)", got)
	}
}

// uuidsOnDifferentShards returns two call uuids that go to different
// workers among n.
func uuidsOnDifferentShards(t *testing.T, n int) (string, string) {
	d := &dispatcher{workers: make([]*worker, n)}
	a := callEvent("X", "call-a", 0)
	for i := range 100 {
		b := callEvent("X", fmt.Sprintf("call-b%d", i), 0)
		if d.shard(a) != d.shard(b) {
			return "call-a", b.UniqueID()
		}
	}
	t.Fatal("no uuid on another shard")
	return "", ""
}

func TestHandlerErrorDoesNotStopOthers(t *testing.T) {
	bad := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  if ev:get("Event-Sequence") == "1" then
    error("boom")
  end
  rec.put("bad-ok", ev:get("Event-Sequence"))
end }}
`
	good := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev) rec.put("good", ev:get("Event-Sequence")) end }}
`
	th := startHost(t, map[string]string{"bad.lua": bad, "good.lua": good}, Options{Workers: 2})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 1), time.Now())
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 2), time.Now())
	th.rec.waitCount(t, "good", 2)
	if got := th.rec.waitCount(t, "bad-ok", 1); got[0].vals[1] != "2" {
		t.Fatalf("bad script after its error handled %v, want seq 2", got[0].vals)
	}
	fails := th.obs.failures()
	if len(fails) != 1 || fails[0].script != "bad" || fails[0].handler != "CHANNEL_ANSWER" || fails[0].killed {
		t.Fatalf("failures = %+v, want one from bad/CHANNEL_ANSWER", fails)
	}
	var ae *lua.ApiError
	if !errors.As(fails[0].err, &ae) || !strings.Contains(ae.Object.String(), "bad.lua:4: boom") || ae.StackTrace == "" {
		t.Fatalf("error = %v, want the Lua error at bad.lua:4 with a traceback", fails[0].err)
	}
}

func TestRunawayHandlerIsStoppedByBudget(t *testing.T) {
	src := `local rec = require("rec")
local n = 0
return { events = { CHANNEL_ANSWER = function(ev)
  n = n + 1
  local seq = ev:get("Event-Sequence")
  rec.put("n", seq, n)
  if seq == "1" then while true do end end
  if seq == "2" then while true do pcall(function() while true do end end) end end
end }}
`
	th := startHost(t, map[string]string{"loop.lua": src}, Options{Workers: 1, HandlerBudget: 50 * time.Millisecond})
	for seq := 1; seq <= 3; seq++ {
		th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", seq), time.Now())
	}
	recs := th.rec.waitCount(t, "n", 3)
	for i, r := range recs {
		if r.vals[1] != strconv.Itoa(i+1) || r.vals[2] != "1" {
			t.Fatalf("recEntry %d = %v: want seq %d in a fresh state (n=1)", i, r.vals, i+1)
		}
	}
	fails := th.obs.failures()
	if len(fails) != 2 {
		t.Fatalf("failures = %+v, want 2", fails)
	}
	for _, f := range fails {
		if !f.killed || !errors.Is(f.err, ErrBudget) {
			t.Fatalf("failure %+v: want a budget kill wrapping ErrBudget", f)
		}
	}
}

func TestHandlerLookupNameSubclassAndStar(t *testing.T) {
	src := `local rec = require("rec")
local function put(key) return function(ev) rec.put("h", key, ev:name()) end end
return { events = { CUSTOM = put("CUSTOM"), ["sofia::register"] = put("sub"), ["*"] = put("*") }}
`
	th := startHost(t, map[string]string{"look.lua": src}, Options{Workers: 1})
	ev := callEvent("CUSTOM", "", 1)
	ev.Add("Event-Subclass", "sofia::register")
	th.dispatchEvent("n1", ev, time.Now())
	th.dispatchEvent("n1", callEvent("HEARTBEAT", "", 2), time.Now())
	recs := th.rec.waitCount(t, "h", 4)
	var got []string
	for _, r := range recs {
		got = append(got, r.vals[1]+"/"+r.vals[2])
	}
	want := "CUSTOM/CUSTOM sub/CUSTOM */CUSTOM */HEARTBEAT"
	if strings.Join(got, " ") != want {
		t.Fatalf("handlers ran %v, want %s", got, want)
	}
}

func TestFullQueueDropsWithoutBlocking(t *testing.T) {
	src := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev)
  rec.put("start", ev:get("Event-Sequence"))
  if ev:get("Event-Sequence") == "0" then rec.wait("go") end
end }}
`
	th := startHost(t, map[string]string{"q.lua": src}, Options{Workers: 1, QueueSize: 2})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 0), time.Now())
	th.rec.waitCount(t, "start", 1) // the worker holds seq 0
	for seq := 1; seq <= 4; seq++ {
		th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", seq), time.Now())
	}
	th.obs.waitFor(t, "two drops", func() bool { return th.obs.dropped["q/queue_full"] == 2 })
	close(th.rec.gate("go"))
	recs := th.rec.waitCount(t, "start", 3)
	th.shutdown(t) // drains the queue: nothing more may run
	if n := len(th.rec.matching("start")); n != 3 || recs[1].vals[1] != "1" || recs[2].vals[1] != "2" {
		t.Fatalf("ran %d handlers (%v), want seqs 0,1,2", n, recs)
	}
}

func TestMissingNames(t *testing.T) {
	set := func(s ...string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	cases := []struct {
		have, keys map[string]bool
		want       string
	}{
		{set(), set("CHANNEL_ANSWER", "sofia::register", "CUSTOM", "BACKGROUND_JOB"), "BACKGROUND_JOB CHANNEL_ANSWER CUSTOM sofia::register"},
		{set("CHANNEL_ANSWER"), set("CHANNEL_ANSWER", "DTMF"), "DTMF"},
		{set("CHANNEL_ANSWER"), set("CHANNEL_ANSWER", "*"), "ALL"},
		{set("ALL"), set("DTMF"), ""},
		{set(), set(), ""},
	}
	for _, c := range cases {
		if got := strings.Join(missingNames(c.have, c.keys), " "); got != c.want {
			t.Errorf("missingNames(%v, %v) = %q, want %q", c.have, c.keys, got, c.want)
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBindingCallbacksRunOnTheWorker(t *testing.T) {
	src := `local rec = require("rec")
local timer = require("timer")
local n = 0
return { events = { CHANNEL_ANSWER = function(ev)
  n = n + 1
  timer.after(5, function() rec.put("later", n) end)
end }}
`
	th := startHost(t, map[string]string{"cb.lua": src}, Options{Workers: 1})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 1), time.Now())
	if got := th.rec.waitCount(t, "later", 1)[0].vals[1]; got != "1" {
		t.Fatalf("callback saw n=%s, want 1 (same state as the handler)", got)
	}
}

// A worker's state serves every call: a timer scheduled by call c1's
// handler on node n1 fires after call c2's handler on node n2 ran in the
// same state, and acts for c1 on n1 (its node, call and commander), not
// for the call that ran last.
func TestWorkerCallbackRunsUnderTheCallThatScheduledIt(t *testing.T) {
	src := `local rec = require("rec")
local timer = require("timer")
return { events = {
  CHANNEL_ANSWER = function(ev)
    rec.scope("answer")
    timer.after(20, function() rec.scope("timer") end)
  end,
  CHANNEL_HANGUP = function(ev) rec.scope("hangup") end,
}}
`
	th := startHost(t, map[string]string{"cb.lua": src}, Options{Workers: 1})
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 1), time.Now())
	th.dispatchEvent("n2", callEvent("CHANNEL_HANGUP", "c2", 2), time.Now())
	th.rec.waitCount(t, "hangup", 1)
	got := th.rec.waitCount(t, "timer", 1)[0].vals
	if got[1] != "c1" || got[2] != "n1" {
		t.Fatalf("timer callback ran for call %q on node %q, want c1 on n1", got[1], got[2])
	}
	if h := th.rec.matching("hangup")[0].vals; h[1] != "c2" || h[2] != "n2" {
		t.Fatalf("hangup handler ran for call %q on node %q, want c2 on n2", h[1], h[2])
	}
}
