package test

import (
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

const restartScript = `local log = require("log")
return {
  events = {
    ["test::after"] = function(ev) log.info("after restart", { n = ev:get("N") }) end,
  },
}
`

// When FreeSWITCH restarts, the binary logs the loss, reconnects with the
// same password (given in ESLSCRIPT_FS_PASSWORD here), subscribes again, and events fired after the restart
// reach the scripts. (Scripts get no reconnect notification: the host has
// none to give, see the report.)
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
