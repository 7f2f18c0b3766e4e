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

// sim.app scripts an application's outcome: response, variables, digits
// pressed while it runs, a hangup; a function decides per run; false
// makes the application missing.
func TestSimApp(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"park.lua": `local log = require("log")
return { session = function(s)
  s:answer()
  s:execute("valet_park", "lot 1")
  log.info("valet", { slot = s:getVariable("valet_slot"), resp = s:getVariable("current_application_response") })
  log.info("stream", { result = tostring(s:streamFile("ivr/gone.wav")) })
  s:execute("conference", "room 3")
  log.info("digits", { d = s:getDigits(1, "", 3000) })
  s:execute("curl", "http://example.invalid/")
  log.info("after", { ready = tostring(s:ready()) })
end }`,
		"park_test.lua": `
local function field(i, k) return sim.logs()[i][k] end
it("scripts outcomes", function()
  sim.app("valet_park", { response = "parked", vars = { valet_slot = "7" } })
  sim.app("playback", "FILE NOT FOUND")
  local seen = {}
  sim.app("conference", function(args, uuid)
    table.insert(seen, args .. "@" .. uuid)
    return { dtmf = "5" }
  end)
  sim.app("curl", { hangup = "USER_BUSY" })
  local call = sim.call{}
  call:run()
  assert.equals("7", field(1, "slot"))
  assert.equals("parked", field(1, "resp"))
  assert.equals("0", field(2, "result"))
  assert.equals("5", field(3, "d"))
  assert.equals("false", field(4, "ready"))
  assert.same({ "room 3@" .. call:uuid() }, seen)
  assert.equals("USER_BUSY", call:hangup_cause())
  assert.same({ "answer", "valet_park", "playback", "conference", "curl" }, call:app_names())
end)
it("makes an application missing", function()
  sim.app("valet_park", false)
  local call = sim.call{}
  call:run()
  assert.equals("DESTINATION_OUT_OF_ORDER", call:hangup_cause())
  assert.same({ "answer" }, call:app_names())
end)
it("rejects a bad outcome", function()
  assert.has_error(function() sim.app("x", { respones = "typo" }) end)
  assert.has_error(function() sim.app("x", true) end)
end)
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}
