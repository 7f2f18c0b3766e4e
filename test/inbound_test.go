package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// The handler of a CUSTOM event sends commands back to FreeSWITCH; the
// timer uses the node by name (timers and init have no event node, see
// the report).
const inboundScript = `local log = require("log")
local esl = require("esl")
local kv = require("kv")
return {
  events = {
    ["test::go"] = function(ev)
      local out, err = esl.api("e2e_probe api " .. ev:get("Token"))
      log.info("api result", { out = out, err = err })
      local job = esl.bgapi("e2e_probe bg")
      local res, jerr = job:wait(3000)
      log.info("bgapi result", { out = res, err = jerr, job = job.uuid })
      local uuid, cause = esl.originate("user/1000", "&park()", { vars = { origin = "e2e" } })
      log.info("originate ok", { uuid = uuid, cause = cause })
      local bad, why = esl.originate("sofia/gateway/nowhere/1", "&park()")
      log.info("originate failed", { uuid = bad, cause = why })
    end,
  },
  timers = {
    once = { every = 50, fn = function()
      if kv.get("ticked") then return end
      local node = esl.node("default")
      if not node then return end
      local out = node.api("e2e_probe timer")
      if out then
        kv.set("ticked", 1)
        log.info("timer api", { out = out })
      end
    end },
  },
}
`

// Scripts send api, bgapi and originate through the inbound connection:
// the simulator receives the commands and the results come back to the
// script (logged), including an originate failure's cause.
func TestInboundCommandsFromHandlerAndTimer(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	sim.HandleAPI("e2e_probe", func(args string) string { return "probe:" + args })
	sim.FailDial("gateway/nowhere", "NO_ROUTE_DESTINATION")
	d := startDaemon(t, sim, secret, writeScripts(t, map[string]string{"inbound.lua": inboundScript, "ivr.lua": idleIVR}))
	ctx := ctxFor(t)

	if l := d.waitLog("timer api", msg("timer api")); l.str("out") != "probe:timer" {
		t.Fatalf("timer api line %v", l)
	}
	if err := sim.WaitSubscribed(ctx, "CUSTOM test::go"); err != nil {
		t.Fatal(err)
	}
	ev := sim.CustomEvent("test::go")
	ev.Add("Token", "t42")
	sim.Fire(ev)

	if l := d.waitLog("api result", msg("api result")); l.str("out") != "probe:api t42" {
		t.Fatalf("api line %v", l)
	}
	if l := d.waitLog("bgapi result", msg("bgapi result")); l.str("out") != "probe:bg" || l.str("job") == "" {
		t.Fatalf("bgapi line %v", l)
	}
	ok := d.waitLog("originate ok", msg("originate ok"))
	call := sim.Call(ok.str("uuid"))
	if call == nil || call.Var("origin") != "e2e" {
		t.Fatalf("originate line %v: no simulated call with that uuid and origin=e2e", ok)
	}
	if l := d.waitLog("originate failed", msg("originate failed")); l.str("cause") != "NO_ROUTE_DESTINATION" || l.str("uuid") != "" {
		t.Fatalf("failed originate line %v", l)
	}
	for _, prefix := range []string{"api e2e_probe timer", "api e2e_probe api t42", "bgapi e2e_probe bg", "bgapi originate {origin=e2e}user/1000 &park()"} {
		if _, err := sim.WaitCommand(ctx, prefix); err != nil {
			t.Fatalf("simulator never received %q: %v (got %s)", prefix, err, commandLines(sim))
		}
	}
	d.stop()
}

// commandLines lists the non-auth command lines the simulator received.
func commandLines(sim *esltest.Server) string {
	var lines []string
	for _, c := range sim.Commands() {
		if !strings.HasPrefix(strings.ToLower(c.Line), "auth") {
			lines = append(lines, c.Line)
		}
	}
	return strings.Join(lines, " | ")
}
