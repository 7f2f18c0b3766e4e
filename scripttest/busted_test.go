package scripttest

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// mustPass runs dir's tests and fails t with every failure unless all of
// them passed (want of them).
func mustPass(t *testing.T, dir string, opts Options, want int) *Result {
	t.Helper()
	res := runDir(t, dir, opts)
	if !res.OK() || res.Passed != want {
		var b strings.Builder
		for _, f := range res.Files {
			if f.Err != nil {
				b.WriteString(failureText(f.Err) + "\n")
			}
			for _, tr := range f.Tests {
				if tr.Failure != nil {
					b.WriteString(tr.Name + ": " + failureText(tr.Failure) + "\n")
				}
			}
		}
		t.Fatalf("got %s, want %d passed\n%s", res.Summary(), want, b.String())
	}
	return res
}

// busted's setup/teardown (once per describe, around its tests that run),
// finally, insulate, match, mock and assert.near.
func TestBustedExtras(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `
local trace = {}
describe("block", function()
  setup(function() table.insert(trace, "setup") end)
  teardown(function() table.insert(trace, "teardown") end)
  before_each(function() table.insert(trace, "b") end)
  it("one", function() table.insert(trace, "one") end)
  it("two", function()
    finally(function() table.insert(trace, "finally") end)
    table.insert(trace, "two")
  end)
end)
it("ran setup and teardown once, finally after the test", function()
  assert.same({ "setup", "b", "one", "b", "two", "finally", "teardown" }, trace)
end)

insulate("insulated", function()
  leaked_at_definition = true
  it("sets a global", function() leaked_in_test = true end)
end)
it("sees no global of the insulated block", function()
  assert.is_nil(leaked_at_definition)
  assert.is_nil(leaked_in_test)
end)

it("matches with match", function()
  local s = spy.new()
  s("x", 42, { a = 1 })
  assert.spy(s).was_called_with(match._, match.is_number(), match.is_table())
  assert.spy(s).was_called_with("x", match._, { a = match.is_number() })
  assert.has_error(function() assert.spy(s).was_called_with(match.is_number(), 42, match._) end)
  assert.same({ id = match.is_string(), n = 3 }, { id = "abc", n = 3 })
  local info = spy.module("log.info")
  sim.call{}:run()
  assert.spy(info).was_called_with(match.is_string())
end)

local m = { a = function() return 1 end, sub = { b = function() return 2 end } }
it("mocks every function of a table", function()
  mock(m)
  assert.equals(2, m.sub.b())
  assert.spy(m.sub.b).was_called(1)
  local stubbed = mock({ f = function() return "real" end }, true)
  assert.is_nil(stubbed.f())
end)
it("reverts mocks after the test", function()
  assert.equals("function", type(m.a))
  assert.equals("function", type(m.sub.b))
end)

it("compares numbers with a tolerance", function()
  assert.near(1.0, 1.05, 0.1)
  assert.is_not.near(1.0, 1.5, 0.1)
  assert.has_error(function() assert.near(1, 2, 0.5) end)
end)

describe("failing setup", function()
  setup(function() error("setup broke") end)
  it("fails", function() end)
  it("fails too", function() end)
end)
`,
	})
	res := runDir(t, dir, Options{})
	want := map[string]bool{"failing setup fails": false, "failing setup fails too": false}
	for _, tr := range tests(res) {
		pass, special := want[tr.Name]
		if !special {
			pass = true
		}
		if (tr.Status == Passed) != pass {
			msg := ""
			if tr.Failure != nil {
				msg = failureText(tr.Failure)
			}
			t.Errorf("%s: %s %s", tr.Name, tr.Status, msg)
		}
		if special && (tr.Failure == nil || !strings.Contains(tr.Failure.Message, "setup broke")) {
			t.Errorf("%s: failure %+v, want the setup's error", tr.Name, tr.Failure)
		}
	}
	if res.Passed != 9 {
		t.Errorf("got %s, want 9 passed", res.Summary())
	}
}

// With a filter, a block's setup and teardown run around the tests that
// run.
func TestSetupTeardownWithFilter(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `
local trace = {}
describe("block", function()
  setup(function() table.insert(trace, "setup") end)
  teardown(function() table.insert(trace, "teardown") end)
  it("skipped one", function() table.insert(trace, "skipped") end)
  it("selected", function() table.insert(trace, "selected") end)
end)
it("selected: checks", function() assert.same({ "setup", "selected", "teardown" }, trace) end)
`,
	})
	mustPass(t, dir, Options{Filter: regexp.MustCompile("selected")}, 2)
}

// A test stopped by its budget points at the line it was running, and
// sim.wait says what it waited for; a handler that runs past the budget
// is stopped by the configured handler budget at its script's line.
func TestBudgetFailuresSayWhere(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"spin.lua": "return { events = { DTMF = function()\n  while true do end\nend } }\n",
		"spin_test.lua": `it("loops", function()
  local n = 0
  while true do
    n = n + 1
  end
end)
it("waits", function()
  sim.wait(function() return false end, "the answer that never comes")
end)
it("handler loops", function()
  sim.event("DTMF")
end)
`,
	})
	res := runDir(t, dir, Options{Timeout: 600 * time.Millisecond, HandlerBudget: 100 * time.Millisecond})
	loops, waits, handler := byName(t, res, "loops").Failure, byName(t, res, "waits").Failure, byName(t, res, "handler loops").Failure
	if loops == nil || loops.Kind != KindTimeout || loops.Line < 3 || loops.Line > 5 {
		t.Errorf("loops: %+v, want a timeout in the loop, lines 3 to 5", loops)
	}
	if waits == nil || waits.Line != 8 || !strings.Contains(waits.Message, "while waiting for the answer that never comes") {
		t.Errorf("waits: %+v", waits)
	}
	if handler == nil || handler.Kind != KindTimeout || !strings.Contains(handler.Message, "spin.lua:2:") ||
		!strings.Contains(handler.Message, "time budget exceeded after") {
		t.Errorf("handler: %+v", handler)
	}
}
