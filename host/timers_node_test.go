package host

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
)

// nodeTimerScript calls esl.api from a timer and, on the next load, from
// init, and records what came back.
const nodeTimerScript = `local esl = require("esl")
local rec = require("rec")
return {
  init = function()
    local out, err = esl.api("hostname")
    rec.put("init", out or "", err or "")
  end,
  timers = { probe = { every = 10, fn = function()
    local out, err = esl.api("global_getvar switch_serial")
    rec.put("tick", out or "", err or "")
  end } },
}
`

func TestTimerESLReachesTheFirstNode(t *testing.T) {
	var wrapped atomic.Int32 // API calls through Options.WrapCommander
	wrap := func(node string, c bindings.Commander) bindings.Commander {
		return apiCounter{Commander: c, n: &wrapped}
	}
	th := startHost(t, map[string]string{"probe.lua": nodeTimerScript}, Options{WrapCommander: wrap})
	if got := th.rec.waitCount(t, "init", 1)[0]; got.vals[2] != "bindings: esl: no FreeSWITCH connection" {
		t.Fatalf("init before any node: %v, want the no-connection failure", got.vals)
	}
	sim := esltest.New(t, esltest.Options{Hostname: "fs-test"})
	addSimNode(t, th, sim)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := sim.WaitCommand(ctx, "api global_getvar switch_serial"); err != nil {
		t.Fatalf("timer's esl.api never reached the simulator: %v", err)
	}
	waitRec(t, th, "tick", func(r recEntry) bool { return r.vals[1] == "esltest" && r.vals[2] == "" })
	if wrapped.Load() == 0 {
		t.Fatal("the timer's commands bypassed Options.WrapCommander")
	}

	th.write(t, "probe.lua", nodeTimerScript+"-- reload\n")
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := th.rec.waitCount(t, "init", 2)[1]; got.vals[1] != "fs-test" || got.vals[2] != "" {
		t.Fatalf("init after AddNode: %v, want the simulator's hostname", got.vals)
	}
}

// waitRec waits until a record with tag satisfies ok.
func waitRec(t *testing.T, th *testHost, tag string, ok func(recEntry) bool) {
	t.Helper()
	for n := 1; ; n++ {
		recs := th.rec.waitCount(t, tag, n)
		if ok(recs[n-1]) {
			return
		}
	}
}

// apiCounter counts the API calls made through it.
type apiCounter struct {
	bindings.Commander
	n *atomic.Int32
}

func (c apiCounter) API(ctx context.Context, cmd string) (string, error) {
	c.n.Add(1)
	return c.Commander.API(ctx, cmd)
}
