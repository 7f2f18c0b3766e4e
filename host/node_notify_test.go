package host

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// TestScriptsNotifiedOfNodeRestart restarts the simulated FreeSWITCH under a
// reconnecting client wired to NodeStateChanged: the script sees node_down
// then node_up, the local keys are never subscribed on the wire, and the
// wire subscription is back after the restart.
func TestScriptsNotifiedOfNodeRestart(t *testing.T) {
	src := `local rec = require("rec")
return { events = {
  ["eslscript::node_down"] = function(ev) rec.put("node", "down", ev:get("Node"), ev:get("Node-State")) end,
  ["eslscript::node_up"] = function(ev) rec.put("node", "up", ev:get("Node"), ev:get("Attempt")) end,
  HEARTBEAT = function(ev) rec.put("hb", ev.node) end,
}}
`
	th := startHost(t, map[string]string{"watch.lua": src}, Options{Workers: 2})
	sim := esltest.New(t, esltest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{
		Password: sim.Password(), Node: "fs1", Reconnect: true,
		OnState: th.NodeStateChanged,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := th.AddNode(ctx, "fs1", c); err != nil {
		t.Fatal(err)
	}
	waitSimSubscribed(t, sim, "HEARTBEAT")
	if err := sim.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	recs := th.rec.waitCount(t, "node", 3) // up (dial), down, up (reconnect)
	var got []string
	for _, r := range recs {
		got = append(got, r.vals[1]+"/"+r.vals[2])
	}
	if strings.Join(got, " ") != "up/fs1 down/fs1 up/fs1" {
		t.Fatalf("node notifications %v", got)
	}
	if recs[2].vals[3] == "0" {
		t.Fatalf("reconnect notification has attempt 0: %v", recs[2].vals)
	}
	waitSimSubscribed(t, sim, "HEARTBEAT")
	sim.Heartbeat()
	if hb := th.rec.waitCount(t, "hb", 1); hb[0].vals[1] != "fs1" {
		t.Fatalf("heartbeat after restart from node %q", hb[0].vals[1])
	}
	for _, cmd := range sim.Commands() {
		if strings.Contains(cmd.Line, "eslscript::") {
			t.Fatalf("local event key sent on the wire: %q", cmd.Line)
		}
	}
}

// node_up reaches the scripts once the node is added (registered and
// subscribed), so its handler can use the node at once, even when the
// program connects the client a while before AddNode: raised from the
// client's first StateConnected, it ran before the node was known and
// its commands failed ("no FreeSWITCH connection"), seen against a real
// FreeSWITCH.
func TestNodeUpReachesScriptsOnceNodeAdded(t *testing.T) {
	src := `local rec = require("rec")
local esl = require("esl")
return { events = {
  ["eslscript::node_up"] = function(ev)
    local out, err = esl.api("e2e_probe up")
    rec.put("up", ev:get("Node"), ev:get("Attempt"), tostring(out), tostring(err))
  end,
  HEARTBEAT = function(ev) end,
}}
`
	th := startHost(t, map[string]string{"watch.lua": src}, Options{Workers: 2})
	sim := esltest.New(t, esltest.Options{})
	sim.HandleAPI("e2e_probe", func(args string) string { return "probe:" + args })
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password(), Node: "fs1", OnState: th.NodeStateChanged})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	time.Sleep(100 * time.Millisecond) // the program does other work before AddNode
	if err := th.AddNode(ctx, "fs1", c); err != nil {
		t.Fatal(err)
	}
	up := th.rec.waitCount(t, "up", 1)[0]
	if got := strings.Join(up.vals[1:], " "); got != "fs1 0 probe:up nil" {
		t.Fatalf("node_up handler: %q, want node fs1, attempt 0 and the api output", got)
	}
}
