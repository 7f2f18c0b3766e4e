package test

import (
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	"github.com/eslscript/eslscript/esl/esltest"
)

// leaderTimerScript has a timer for the fleet's leader only and one for
// every instance.
const leaderTimerScript = `local log = require("log")
return { timers = {
  sweep = { every = 50, leader = true, fn = function() log.info("leader tick") end },
  local_work = { every = 50, fn = function() log.info("any tick") end },
}}
`

// Two instances of a fleet (real binary, real Redis): the timer declared
// leader = true runs on the first instance only while the other stands
// by (its other timer runs); once the leader is killed (SIGKILL), the
// other runs it within lease + lease/3.
func TestFleetLeaderTimerFailsOver(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	dir := writeScripts(t, map[string]string{"sweeper.lua": leaderTimerScript})
	const lease = time.Second
	start := func(name string) *proc {
		p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret},
			"run", "--fs-address", sim.Addr(), "--scripts", dir, "--log-format", "json",
			"--fleet", "--fleet-address", srv.Address, "--fleet-instance", name, "--fleet-lease", lease.String())
		p.waitLog("fleet joined", msg("eslscript: fleet joined"))
		return p
	}
	first := start("i0")
	first.waitLogs("the leader's ticks", 3, msg("leader tick"))
	second := start("i1")
	second.waitLogs("the other instance's own timer", 10, msg("any tick"))
	if n := len(second.logs(msg("leader tick"))); n != 0 {
		t.Fatalf("the instance standing by ran the leader's timer %d times", n)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	killed := time.Now()
	second.waitLog("the leader's timer on the survivor", msg("leader tick"))
	if took, bound := time.Since(killed), lease+lease/3+time.Second; took > bound {
		t.Errorf("the survivor took over the leader's timer after %v, bound %v", took, bound)
	}
}
