package test

import (
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

const restartScript = `local log = require("log")
return {
  events = {
    ["test::after"] = function(ev) log.info("after restart", { n = ev:get("N") }) end,
    ["eslscript::node_down"] = function(ev) log.warn("script saw node down", { which = ev:get("Node") }) end,
    ["eslscript::node_up"] = function(ev) log.info("script saw node up", { which = ev:get("Node"), attempt = ev:get("Attempt") }) end,
  },
  -- the daemon's listener names this script: it must be a session script
  session = function(session) end,
}
`

// When FreeSWITCH restarts, the binary logs the loss, reconnects with the
// same password (given in ESLSCRIPT_FS_PASSWORD here), subscribes again, and events fired after the restart
// reach the scripts. Scripts are told through the local events
// eslscript::node_down and eslscript::node_up.
func TestFreeSWITCHRestart(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	d := startDaemonEnv(t, sim, "ESLSCRIPT_FS_PASSWORD", secret, dir)
	ctx := ctxFor(t)
	if err := sim.WaitSubscribed(ctx, "CUSTOM test::after"); err != nil {
		t.Fatal(err)
	}
	auths := authCount(sim)

	if err := sim.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	d.waitLog("connection lost", msg("eslscript: node connection lost", "node", "default"))
	d.waitLog("reconnecting", msg("eslscript: node reconnecting", "node", "default"))
	d.waitLog("reconnected", msg("eslscript: node reconnected", "node", "default"))
	d.waitLog("script notified of the loss", msg("script saw node down", "which", "default"))
	d.waitLog("script notified of the reconnect", func(l logLine) bool {
		return msg("script saw node up", "which", "default")(l) && l.str("attempt") != "0"
	})
	if err := sim.WaitSubscribed(ctx, "CUSTOM test::after"); err != nil {
		t.Fatalf("no subscription after the restart: %v", err)
	}
	if a := authCount(sim); a != auths+1 {
		t.Fatalf("%d auth commands, want one more than before the restart (%d)", a, auths)
	}
	ev := sim.CustomEvent("test::after")
	ev.Add("N", "7")
	sim.Fire(ev)
	if l := d.waitLog("event after the restart", msg("after restart")); l.str("n") != "7" {
		t.Fatalf("line %v", l)
	}
	d.stop()
}
