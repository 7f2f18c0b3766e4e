package scripttest

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFailingAssertionReportsFileAndLine(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `describe("echo", function()
  it("plays the wrong file", function()
    local call = sim.call{}
    call:run()
    assert.same({ "answer", "goodbye" }, call:app_names())
  end)
  it("passes", function() assert.equals(1, 1) end)
end)
`,
	})
	res := runDir(t, dir, Options{})
	if res.OK() || res.Failed != 1 || res.Passed != 1 {
		t.Fatalf("want 1 passed 1 failed, got %s", res.Summary())
	}
	f := byName(t, res, "echo plays the wrong file").Failure
	wantFile := filepath.Join(dir, "echo_test.lua")
	if f.Kind != KindAssertion || f.File != wantFile || f.Line != 5 {
		t.Fatalf("failure at %s:%d (%s), want %s:5 assertion", f.File, f.Line, f.Kind, wantFile)
	}
	if !strings.Contains(f.Diff, `-   "goodbye",`) || !strings.Contains(f.Diff, `+   "playback",`) {
		t.Errorf("diff does not show expected and actual:\n%s", f.Diff)
	}
}

func TestScriptSyntaxErrorIsReported(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"broken.lua":      "return {\n  session = function(s)\n    s:answer(\n  end,\n}\n",
		"broken_test.lua": `it("never runs", function() end)`,
	})
	res := runDir(t, dir, Options{})
	if res.OK() || len(res.Files) != 1 || res.Files[0].Err == nil {
		t.Fatalf("want a file-level failure, got %s %+v", res.Summary(), res.Files)
	}
	f := res.Files[0].Err
	if f.Kind != KindScript || f.File != filepath.Join(dir, "broken.lua") || f.Line != 4 {
		t.Fatalf("got %s at %s:%d: %s", f.Kind, f.File, f.Line, f.Message)
	}
	if !strings.Contains(failureText(f), "script error: ") {
		t.Errorf("report does not name a script error: %s", failureText(f))
	}
}

func TestTestFileSyntaxErrorIsReported(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua":      echoScript,
		"echo_test.lua": "describe(\"x\", function()\n  it(\"y\", function( end)\nend)\n",
	})
	res := runDir(t, dir, Options{})
	f := res.Files[0].Err
	if f == nil || f.Kind != KindScript || f.Line != 2 || res.Failed != 1 {
		t.Fatalf("want a script failure at line 2, got %+v (%s)", f, res.Summary())
	}
}

func TestInfiniteLoopFailsByBudgetAndRunContinues(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"loop.lua": `return { session = function(s) s:answer() while true do end end }`,
		"loop_test.lua": `
it("loops in the script", function() sim.call{}:run() end)
it("loops in the test", function() while true do end end)
it("still runs", function() assert.truthy(true) end)
`,
	})
	start := time.Now()
	res := runDir(t, dir, Options{Timeout: 300 * time.Millisecond})
	for _, name := range []string{"loops in the script", "loops in the test"} {
		tr := byName(t, res, name)
		if tr.Status != Failed || tr.Failure.Kind != KindTimeout {
			t.Errorf("%s: got %s %+v, want a timeout failure", name, tr.Status, tr.Failure)
		}
	}
	if tr := byName(t, res, "still runs"); tr.Status != Passed {
		t.Errorf("the next test did not pass: %+v", tr.Failure)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("run took %v", d)
	}
}

func TestFilterSelectsByFullName(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `describe("menu", function()
  it("one", function() end)
  it("two", function() error("not selected") end)
end)
it("one more", function() end)
`,
	})
	res := runDir(t, dir, Options{Filter: regexp.MustCompile(`one`)})
	if got := strings.Join(names(res), ","); got != "menu one,one more" || !res.OK() {
		t.Fatalf("ran %q (%s)", got, res.Summary())
	}
}

func TestHooksOrderAndPending(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `
local trace = {}
describe("outer", function()
  before_each(function() table.insert(trace, "b1") end)
  after_each(function() table.insert(trace, "a1") end)
  describe("inner", function()
    before_each(function() table.insert(trace, "b2") end)
    after_each(function() table.insert(trace, "a2") end)
    it("runs", function() table.insert(trace, "it") end)
    it("fails but after_each still runs", function() table.insert(trace, "it2"); error("boom") end)
  end)
  pending("later")
  it("has no body yet")
end)
it("checks the order", function()
  assert.same({ "b1", "b2", "it", "a2", "a1", "b1", "b2", "it2", "a2", "a1" }, trace)
end)
`,
	})
	res := runDir(t, dir, Options{})
	if res.Passed != 2 || res.Failed != 1 || res.Skipped != 2 {
		t.Fatalf("got %s, want 2 passed, 1 failed, 2 skipped", res.Summary())
	}
	if got := res.Summary(); got != "2 passed, 1 failed, 2 skipped" {
		t.Errorf("summary %q", got)
	}
	if f := byName(t, res, "outer inner fails but after_each still runs").Failure; f.Kind != KindError || f.Line != 10 || !strings.Contains(f.Message, "boom") {
		t.Errorf("error failure %+v", f)
	}
}

func TestSpiesAndStubsAreReverted(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `
local m = { greet = function(n) return "hi " .. n end }
it("stubs and spies", function()
  local s = spy.on(m, "greet")
  assert.equals("hi a", m.greet("a"))
  assert.spy(s).was_called(1)
  assert.spy(s).was.called_with("a")
  stub(m, "greet", "stubbed")
  assert.equals("stubbed", m.greet("b"))
  local f = spy.new(function() return 1 end)
  f(1, nil, 3)
  assert.is_true(f:called_with(1, nil, 3))
  assert.has_error(function() assert.spy(f).was_called(2) end)
end)
it("sees the original again", function()
  assert.equals("hi c", m.greet("c"))
  assert.is_nil(getmetatable(m.greet))
end)
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}

func TestKVAndCallsDoNotLeakBetweenTests(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"count.lua": `local kv = require("kv")
return { session = function(s) kv.incr("calls") end }`,
		"count_test.lua": `
for i = 1, 3 do
  it("starts from an empty kv " .. i, function()
    assert.is_nil(sim.kv.get("calls"))
    sim.call{}:run()
    assert.equals("1", sim.kv.get("calls"))
    assert.equals(0, sim.now())
  end)
end
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}

func TestAssertionLibrary(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `
it("passes the positive forms", function()
  assert.equals(1, 1)
  assert.are.equal("a", "a")
  assert.same({ a = { 1, 2 } }, { a = { 1, 2 } })
  assert.are.same({}, {})
  assert.truthy(0)
  assert.falsy(nil)
  assert.is_true(true)
  assert.is_false(false)
  assert.is_nil(nil)
  assert.not_nil(1)
  assert.matches("^ab", "abc")
  assert.has_error(function() error("boom") end, "boom")
  assert.has_no_error(function() end)
  assert.is_not.equal(1, 2)
  assert.are_not.same({ 1 }, { 2 })
  assert(true, "plain assert")
end)
it("fails equals", function() assert.equals(1, 2) end)
it("fails matches", function() assert.matches("^x", "abc") end)
it("fails has_error", function() assert.has_error(function() end) end)
it("fails with a message", function() assert.truthy(false, "custom words") end)
`,
	})
	res := runDir(t, dir, Options{})
	if res.Passed != 1 || res.Failed != 4 {
		t.Fatalf("got %s: %v", res.Summary(), byName(t, res, "passes the positive forms").Failure)
	}
	if f := byName(t, res, "fails with a message").Failure; !strings.Contains(f.Message, "custom words") || f.Line != 23 {
		t.Errorf("custom message failure %+v", f)
	}
	if f := byName(t, res, "fails equals").Failure; f.Expected != "(number) 1" || f.Actual != "(number) 2" {
		t.Errorf("equals failure %+v", f)
	}
}
