package host

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// gapScript records every gap event and the calls' answers, in the order
// its handlers run: ev, kind, uuid, then the headers a check reads.
const gapScript = `local rec = require("rec")
return { events = {
  ["eslscript::gap"] = function(ev)
    rec.put("ev", "gap", ev:get("Unique-ID") or "", ev:get("Node"), ev:get("Gap-Start"), ev:get("Gap-End"),
      ev:get("Gap-Reason"), ev:get("Live-Calls") or "", ev:get("Channel-Call-State") or "",
      ev:get("Caller-Caller-ID-Number") or "", ev:get("Caller-Destination-Number") or "", ev:get("Channel-Name") or "")
  end,
  CHANNEL_ANSWER = function(ev) rec.put("ev", "answer", ev:get("Unique-ID")) end,
}}
`

// After the node's connection is cut under live calls, the scripts get one
// eslscript::gap per call FreeSWITCH still has (not for the call that ended
// before, none at the first connection) with the channel's state from
// "show channels as json", then the node's with Live-Calls; the window
// covers the loss and the return; and a call's gap event comes before the
// events of that call received on the new connection, even when one
// arrives while the resync is still waiting for FreeSWITCH.
func TestReconnectRaisesGapEvents(t *testing.T) {
	th := startHost(t, map[string]string{"gap.lua": gapScript}, Options{Workers: 4})
	sim := esltest.New(t, esltest.Options{})
	a := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1001", Destination: "2001"})
	b := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1002", Destination: "2002"})
	ended := sim.NewCall(esltest.CallOptions{})
	ended.Hangup("NORMAL_CLEARING")
	<-ended.Done()
	addReconnectingNode(t, th, sim)
	waitSimSubscribed(t, sim, "CHANNEL_ANSWER")
	b.Answer() // an event before the loss: dispatched, no gap event (first connection)
	th.rec.waitCount(t, "ev", 1)

	// The resync's "show channels as json" answers once a's answer, sent on
	// the new connection, reached the script (which it must not before its
	// gap event) or after a moment.
	channels := sim.API("show channels as json")
	release := make(chan struct{})
	sim.HandleAPI("show", func(string) string {
		select {
		case <-release:
		case <-time.After(500 * time.Millisecond):
		}
		return channels
	})

	lost := time.Now()
	for _, conn := range sim.Conns() {
		conn.Drop()
	}
	waitEventCommands(t, sim, 2) // the client subscribed again
	a.Answer()
	go func() {
		deadline := time.After(testWait)
		for len(th.rec.matching("ev")) < 2 {
			select {
			case <-th.rec.notify:
			case <-deadline:
				return
			}
		}
		close(release)
	}()

	got := th.rec.waitCount(t, "ev", 5) // b's answer, a's and b's gaps, the node's, a's answer
	var order []string
	gaps := map[string][]string{}
	for _, r := range got {
		if r.vals[2] == a.UUID() {
			order = append(order, r.vals[1])
		}
		if r.vals[1] == "gap" {
			gaps[r.vals[2]] = r.vals
		}
	}
	if strings.Join(order, " ") != "gap answer" {
		t.Errorf("call a saw %v, want its gap event before its answer on the new connection", order)
	}
	if len(gaps) != 3 || gaps[ended.UUID()] != nil {
		t.Fatalf("gap events for %d uuids (%v), want a's, b's and the node's", len(gaps), got)
	}
	for uuid, want := range map[string]string{a.UUID(): "RINGING 1001 2001", b.UUID(): "ACTIVE 1002 2002"} {
		g := gaps[uuid]
		if g == nil {
			t.Fatalf("no gap event for %s", uuid)
		}
		if got := strings.Join(g[8:11], " "); got != want || g[11] == "" || g[3] != "fs1" || g[6] != "reconnect" {
			t.Errorf("gap of %s: %v, want state, caller, destination %q, a channel name, node fs1", uuid, g, want)
		}
		checkWindow(t, g, lost)
	}
	if n := len(gapRecords(th.rec)); n != 3 {
		t.Errorf("%d gap events, want 3 (none at the first connection)", n)
	}
	node := gaps[""]
	if node == nil || node[7] != "2" {
		t.Fatalf("node gap event %v, want Live-Calls 2", node)
	}
	checkWindow(t, node, lost)
}

// addReconnectingNode connects th to sim as node fs1 with a client that
// reconnects at once (10-50 ms backoff) and reports its state to th.
func addReconnectingNode(t *testing.T, th *testHost, sim *esltest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password(), Node: "fs1", Reconnect: true,
		BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, OnState: th.NodeStateChanged})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := th.AddNode(ctx, "fs1", c); err != nil {
		t.Fatal(err)
	}
}

// checkWindow checks that a gap event's Gap-Start..Gap-End covers the
// loss (the simulator takes connections again at once).
func checkWindow(t *testing.T, g []string, lost time.Time) {
	t.Helper()
	start, err1 := strconv.ParseInt(g[4], 10, 64)
	end, err2 := strconv.ParseInt(g[5], 10, 64)
	if err1 != nil || err2 != nil || start > lost.UnixMicro() || end < lost.UnixMicro() || end > time.Now().UnixMicro() {
		t.Errorf("gap window %s..%s does not cover the loss at %d", g[4], g[5], lost.UnixMicro())
	}
}

// waitEventCommands waits until the simulator received n "event" commands
// naming CHANNEL_ANSWER (one per connection).
func waitEventCommands(t *testing.T, sim *esltest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for {
		count := 0
		for _, c := range sim.Commands() {
			if strings.HasPrefix(c.Line, "event ") && strings.Contains(c.Line, "CHANNEL_ANSWER") {
				count++
			}
		}
		if count >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d event commands, want %d", count, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gapRecords returns the recorded gap events.
func gapRecords(r *luaRecorder) []recEntry {
	var out []recEntry
	for _, rc := range r.matching("ev") {
		if rc.vals[1] == "gap" {
			out = append(out, rc)
		}
	}
	return out
}

// "show channels as json" as FreeSWITCH 1.10 writes it: no rows key
// without channels; a row without uuid is skipped; anything else fails.
func TestParseChannels(t *testing.T) {
	for _, c := range []struct {
		out   string
		uuids string
		fails bool
	}{
		{"{\"row_count\": 0}\n", "", false},
		{`{"row_count":2,"rows":[{"uuid":"u1","callstate":"ACTIVE"},{"uuid":"","name":"x"},{"uuid":"u2"}]}`, "u1 u2", false},
		{"-ERR no reply\n", "", true},
		{`{"rows":[]}`, "", true},
	} {
		rows, err := parseChannels(c.out)
		var ids []string
		for _, r := range rows {
			ids = append(ids, r["uuid"])
		}
		if (err != nil) != c.fails || strings.Join(ids, " ") != c.uuids {
			t.Errorf("parseChannels(%q) = %v, %v", c.out, ids, err)
		}
	}
}

// The gap starts no later than the last event that arrived on the lost
// connection was made: a reader that lagged reads its last bytes after the
// cut, and what was missed was made after that event (FreeSWITCH sends a
// node's events in order). Seen on the real server under load: the last
// read came 10 ms after the cut.
func TestGapStartsAtTheLastEventMade(t *testing.T) {
	logs := &syncBuffer{}
	th := startHost(t, map[string]string{"gap.lua": gapScript}, Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	sim := esltest.New(t, esltest.Options{})
	addReconnectingNode(t, th, sim)
	waitSimSubscribed(t, sim, "CHANNEL_ANSWER")
	made := time.Now().Add(-3 * time.Second) // read now, made (and sent) 3 s ago
	ev := sim.NewEvent("CHANNEL_ANSWER")
	ev.Set("Event-Date-Timestamp", strconv.FormatInt(made.UnixMicro(), 10))
	sim.Fire(ev)
	th.rec.waitCount(t, "ev", 1)
	for _, conn := range sim.Conns() {
		conn.Drop()
	}
	gaps := th.rec.waitCount(t, "ev", 2)
	if g := gaps[1].vals; g[1] != "gap" || g[4] != strconv.FormatInt(made.UnixMicro(), 10) {
		t.Fatalf("node gap event %v, want Gap-Start %d (the last event's making)", g, made.UnixMicro())
	}
	// the log says the same (the reader writes it once the events are raised)
	want := `"gap_start":"` + time.UnixMicro(made.UnixMicro()).Format(time.RFC3339Nano) + `"`
	deadline := time.Now().Add(testWait)
	for !strings.Contains(logs.String(), "resynchronised") {
		if time.Now().After(deadline) {
			t.Fatalf("no resync log line:\n%s", logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), want) {
		t.Errorf("log without %s:\n%s", want, logs.String())
	}
}
