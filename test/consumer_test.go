package test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

const consumerScript = `local log = require("log")
return {
  events = {
    CHANNEL_EXECUTE = function(ev)
      log.info("step", { uuid = ev:get("Unique-ID"), seq = tonumber(ev:get("Test-Seq")) })
    end,
    ["test::ping"] = function(ev)
      log.info("ping", { note = ev:get("Note"), subclass = ev:subclass() })
    end,
  },
}
`

// Events fired by FreeSWITCH reach the consumer handlers: a CUSTOM
// subclass handler gets its event, and the events of several calls fired
// interleaved are each handled once, in order per call.
func TestConsumerHandlersKeepPerCallOrder(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	d := startDaemon(t, sim, secret, writeScripts(t, map[string]string{"consumer.lua": consumerScript, "ivr.lua": idleIVR}))
	ctx := ctxFor(t)
	for _, name := range []string{"CHANNEL_EXECUTE", "CUSTOM test::ping"} {
		if err := sim.WaitSubscribed(ctx, name); err != nil {
			t.Fatal(err)
		}
	}

	ping := sim.CustomEvent("test::ping")
	ping.Add("Note", "hello from FreeSWITCH")
	sim.Fire(ping)
	if l := d.waitLog("ping", msg("ping")); l.str("note") != "hello from FreeSWITCH" || l.str("subclass") != "test::ping" {
		t.Fatalf("ping line %v", l)
	}

	const calls, steps = 5, 40
	var uuids []string
	for range calls {
		uuids = append(uuids, sim.NewCall(esltest.CallOptions{}).UUID())
	}
	for seq := 1; seq <= steps; seq++ {
		for i := range calls {
			ev := sim.ChannelEvent(sim.Call(uuids[i]), "CHANNEL_EXECUTE")
			ev.Add("Test-Seq", strconv.Itoa(seq))
			sim.Fire(ev)
		}
	}
	lines := d.waitLogs(fmt.Sprintf("%d step lines", calls*steps), calls*steps, msg("step"))
	checkPerCallOrder(t, lines, uuids, steps)
	d.stop()
	if n := len(d.logs(msg("step"))); n != calls*steps {
		t.Fatalf("%d step lines after the drain, want each event handled once (%d)", n, calls*steps)
	}
}

// checkPerCallOrder checks that each call's steps 1..steps were logged
// exactly once and in order.
func checkPerCallOrder(t *testing.T, lines []logLine, uuids []string, steps int) {
	t.Helper()
	next := map[string]int{}
	for _, u := range uuids {
		next[u] = 1
	}
	for _, l := range lines {
		u := l.str("uuid")
		want, ok := next[u]
		if !ok {
			t.Fatalf("step for unknown call %q", u)
		}
		if l.str("seq") != strconv.Itoa(want) || l.str("call") != u {
			t.Fatalf("call %s: got step %s (call field %q), want step %d", u, l.str("seq"), l.str("call"), want)
		}
		next[u] = want + 1
	}
	for u, n := range next {
		if n != steps+1 {
			t.Fatalf("call %s: %d steps handled, want %d", u, n-1, steps)
		}
	}
}
