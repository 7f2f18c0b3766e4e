package test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

const spinningConsumer = `local log = require("log")
return {
  events = {
    CHANNEL_EXECUTE = function(ev)
      if ev:get("Test-Spin") == "yes" then
        log.info("spinning")
        while true do end
      end
      log.info("handled", { uuid = ev:get("Unique-ID"), seq = tonumber(ev:get("Test-Seq")) })
    end,
  },
}
`

// An event handler stuck in `while true do end` is stopped by
// --handler-budget and the failure names the budget; the events of other
// calls (and the later events of the same call) are still handled.
func TestRunawayEventHandlerIsStopped(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	d := startDaemon(t, sim, secret, writeScripts(t, map[string]string{"spin.lua": spinningConsumer, "ivr.lua": idleIVR}), "--handler-budget", "200ms")
	if err := sim.WaitSubscribed(ctxFor(t), "CHANNEL_EXECUTE"); err != nil {
		t.Fatal(err)
	}
	spinner, other := sim.NewCall(esltest.CallOptions{}), sim.NewCall(esltest.CallOptions{})
	spin := sim.ChannelEvent(spinner, "CHANNEL_EXECUTE")
	spin.Add("Test-Spin", "yes")
	sim.Fire(spin)
	d.waitLog("spinning", msg("spinning"))
	const n = 10
	for seq := 1; seq <= n; seq++ {
		for _, c := range []*esltest.Call{other, spinner} {
			ev := sim.ChannelEvent(c, "CHANNEL_EXECUTE")
			ev.Add("Test-Seq", strconv.Itoa(seq))
			sim.Fire(ev)
		}
	}
	d.waitLogs("the other call's events", n, msg("handled", "uuid", other.UUID()))
	d.waitLogs("the spinning call's later events", n, msg("handled", "uuid", spinner.UUID()))
	l := d.waitLog("budget failure", msg("host: handler failed", "handler", "CHANNEL_EXECUTE"))
	if e := l.str("error"); !strings.Contains(e, "budget") {
		t.Fatalf("failure %q does not name the budget", e)
	} else {
		t.Logf("logged: %s", e)
	}
	if got := len(d.logs(msg("host: handler failed"))); got != 1 {
		t.Fatalf("%d handler failures, want 1", got)
	}
	d.stop()
}

const spinningSession = `return {
  session = function(session)
    session:answer()
    while true do end
  end,
}
`

const quickSession = `local log = require("log")
return {
  session = function(session)
    session:answer()
    session:streamFile("ivr/quick.wav")
    log.info("quick done")
    session:hangup("NORMAL_CLEARING")
  end,
}
`

// A call script stuck in an infinite loop is ended by --session-budget
// while another call, placed meanwhile, runs to completion.
func TestRunawaySessionIsStopped(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{"spin.lua": spinningSession, "ivr.lua": quickSession})
	d := startDaemon(t, sim, secret, dir, "--session-budget", "1s")

	spinner := d.dial(t, sim, esltest.CallOptions{Variables: map[string]string{"eslscript_script": "spin"}})
	if err := spinner.WaitAnswered(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	quick := d.dial(t, sim, esltest.CallOptions{})
	if cause := waitHangup(t, quick); cause != "NORMAL_CLEARING" {
		t.Fatalf("concurrent call hung up with %s", cause)
	}
	d.waitLog("quick call", msg("quick done", "call", quick.UUID()))
	if !prefixesMatch(apps(quick), []string{"answer", "playback ivr/quick.wav"}) {
		t.Fatalf("concurrent call ran %q", apps(quick))
	}
	select {
	case <-spinner.Done():
		t.Fatal("the spinning call ended before the concurrent one completed")
	default:
	}
	l := d.waitLog("session budget", msg("host: handler failed", "script", "spin", "handler", "session"))
	if e := l.str("error"); !strings.Contains(e, "budget") {
		t.Fatalf("failure %q does not name the budget", e)
	} else {
		t.Logf("logged: %s", e)
	}
	waitHangup(t, spinner) // the script ended: its socket closes and the call ends
	d.stop()
}
