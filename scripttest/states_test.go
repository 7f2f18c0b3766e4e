package scripttest

import "testing"

// A script's top-level locals live in one Lua state, and the daemon runs
// different calls' events and calls on different states: the tests show
// it, with a state per call, so a per-process count kept in a local fails
// here as it does in production (kv is the shared store).
func TestTopLevelLocalsArePerCall(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"counter.lua": `local kv = require("kv")
local count, calls = 0, 0
return {
  events = { CHANNEL_ANSWER = function(ev)
    count = count + 1
    kv.incr("answers")
    kv.set("local:" .. ev:uuid(), count)
  end },
  session = function(s)
    calls = calls + 1
    kv.set("calls", calls)
  end,
}
`,
		"counter_test.lua": `it("keeps top-level locals per call", function()
  local a, b = sim.call{}, sim.call{}
  a:event("CHANNEL_ANSWER"); a:event("CHANNEL_ANSWER"); b:event("CHANNEL_ANSWER")
  assert.equals("2", sim.kv.get("local:" .. a:uuid()))   -- the same call: one state
  assert.equals("1", sim.kv.get("local:" .. b:uuid()))   -- another call: another state
  assert.equals("3", sim.kv.get("answers"))              -- kv is shared
  a:run(); b:run()
  assert.equals("1", sim.kv.get("calls"))                -- each call a fresh state
end)
`,
	})
	res := runDir(t, dir, Options{})
	if !res.OK() || res.Passed != 1 {
		for _, tr := range res.Files[0].Tests {
			if tr.Failure != nil {
				t.Log(failureText(tr.Failure))
			}
		}
		if f := res.Files[0].Err; f != nil {
			t.Log(failureText(f))
		}
		t.Fatalf("got %s", res.Summary())
	}
}
