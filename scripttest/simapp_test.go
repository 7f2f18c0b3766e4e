package scripttest

import "testing"

// An application the simulator does not model completes with _none_, is
// listed by call:apps(), and hangup_on works for it.
func TestUnknownAppIsRecorded(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"valet.lua": `local log = require("log")
return { session = function(s)
  s:answer()
  s:execute("valet_park", "lot 1")
  log.info("after", { state = s:ready() and "up" or "down" })
  s:execute("conference", "room")
end }`,
		"valet_test.lua": `
it("records unknown apps", function()
  local call = sim.call{}
  call:run()
  assert.same({ "answer", "valet_park", "conference" }, call:app_names())
  assert.equals("lot 1", call:apps()[2].arg)
  assert.equals("_none_", call:apps()[2].response)
  assert.equals("up", sim.logs()[1].state)
end)
it("hangs up on an unknown app", function()
  local call = sim.call{}
  call:hangup_on("valet_park")
  call:run()
  assert.equals("down", sim.logs()[1].state)
  assert.same({ "answer", "valet_park" }, call:app_names())
end)
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}
