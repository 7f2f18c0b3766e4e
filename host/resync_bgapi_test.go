package host

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// A script's bgapi jobs in flight when the node's connection is lost fail
// with the loss, through both forms of the Lua binding: the callback of
// esl.bgapi(cmd, fn) gets nil and the error, job:wait returns nil and the
// error; neither waits for a result that can no longer come.
func TestBgAPIJobsFailOnConnectionLoss(t *testing.T) {
	src := `local rec = require("rec")
local esl = require("esl")
return { events = {
  ["eslscript::node_up"] = function(ev)
    if ev:get("Attempt") ~= "0" then return end
    esl.bgapi("stuck", function(out, err) rec.put("cb", tostring(out), tostring(err)) end)
    local job = esl.bgapi("stuck")
    rec.put("started")
    local out, err = job:wait(60000)
    rec.put("wait", tostring(out), tostring(err))
  end,
}}
`
	th := startHost(t, map[string]string{"jobs.lua": src}, Options{Workers: 2})
	sim := esltest.New(t, esltest.Options{})
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	sim.HandleAPI("stuck", func(string) string { <-block; return "+OK never\n" })
	addReconnectingNode(t, th, sim)
	th.rec.waitCount(t, "started", 1)
	for _, conn := range sim.Conns() {
		conn.Drop()
	}
	for _, tag := range []string{"wait", "cb"} {
		r := th.rec.waitCount(t, tag, 1)[0]
		if r.vals[1] != "nil" || !strings.Contains(r.vals[2], esl.ErrConnLost.Error()) {
			t.Errorf("%s after the loss: %v, want nil and %q", tag, r.vals[1:], esl.ErrConnLost)
		}
	}
}
