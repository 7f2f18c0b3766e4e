package scripttest

import "testing"

// The nodes are named as configured: the first by name is the default
// node (calls, events: ev.node), esl.node reaches the others, and each
// answers its own hostname; without Options.Nodes the node is "sim".
func TestConfiguredNodeNames(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"nodes.lua": `local esl = require("esl")
local log = require("log")
return {
  events = { ["ops::ping"] = function(ev) log.info("event", { node = ev.node }) end },
  session = function(s)
    s:answer()
    local ok, other = pcall(function() return esl.node("fs2").api("hostname") end)
    log.info("session", { host = esl.api("hostname"), other = ok and other or "none" })
  end,
}`,
	}
	files["nodes_test.lua"] = `
it("names the nodes", function()
  sim.call{}:run()
  assert.equals("fs1", sim.logs()[1].host)
  assert.equals("fs2", sim.logs()[1].other)
  sim.event("ops::ping")
  assert.equals("fs1", sim.logs()[2].node)
  assert.same({ "hostname", "hostname" }, sim.commands("^hostname"))
end)
`
	requirePassed(t, runDir(t, writeTree(t, files), Options{Nodes: []string{"fs2", "fs1"}}))
	files["nodes_test.lua"] = `
it("is sim by default", function()
  sim.call{}:run()
  assert.equals("sim", sim.logs()[1].host)
  assert.equals("none", sim.logs()[1].other)
  sim.event("ops::ping")
  assert.equals("sim", sim.logs()[2].node)
end)
`
	requirePassed(t, runDir(t, writeTree(t, files), Options{}))
}
