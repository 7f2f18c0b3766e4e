package scripttest

import "testing"

// Errors raised by timer and bgapi callbacks count like any failed run:
// sim.errors() lists them with the call they were made for, as it lists
// failed handlers and sessions (each with its call).
func TestCallbackErrorsAreReported(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"cb.lua": `local esl, timer = require("esl"), require("timer")
return {
  events = {
    CHANNEL_ANSWER = function(ev)
      timer.after(10, function() error("timer boom") end)
      esl.bgapi("status", function() error("bgapi boom") end)
    end,
    DTMF = function(ev) error("handler boom") end,
  },
  session = function(s) error("session boom") end,
}
`,
		"cb_test.lua": `it("reports them with the call", function()
  local call = sim.call{}
  -- a callback's error fails the test step during which it ran (the event,
  -- the advance of virtual time or the wait), like a handler's
  pcall(call.event, call, "CHANNEL_ANSWER")
  pcall(sim.advance, 10)
  local function both() return #sim.errors() >= 2 end
  for _ = 1, 3 do
    if both() or pcall(sim.wait, both, "the callbacks' errors") then break end
  end
  local seen = {}
  for _, e in ipairs(sim.errors()) do
    assert.equals(call:uuid(), e.call)
    assert.equals("callback", e.handler)
    seen[e.callback] = e.error
  end
  assert.matches("timer boom", seen.timer)
  assert.matches("bgapi boom", seen.bgapi)
  assert.has_error(function() call:event("DTMF") end)
  call:run{ allow_error = true }
  local errs = sim.errors()
  assert.equals(4, #errs)
  for _, e in ipairs(errs) do assert.equals(call:uuid(), e.call) end
end)
`,
	})
	res := runDir(t, dir, Options{})
	if !res.OK() || res.Passed != 1 {
		for _, f := range res.Files {
			if f.Err != nil {
				t.Log(failureText(f.Err))
			}
			for _, tr := range f.Tests {
				if tr.Failure != nil {
					t.Log(failureText(tr.Failure))
				}
			}
		}
		t.Fatalf("got %s", res.Summary())
	}
}
