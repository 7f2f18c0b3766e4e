package scripttest

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestSampleScripts(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"testdata/ivr", "testdata/consumer"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			requirePassed(t, runDir(t, dir, Options{}))
		})
	}
}

// TestLongTimeoutIsVirtual waits 30 s of script time inside a test whose
// real-time budget is 2 s: it can only pass if the wait is virtual.
func TestLongTimeoutIsVirtual(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"wait.lua": `local log = require("log")
return { session = function(s)
  s:answer()
  local d = s:getDigits(1, "", 30000)
  log.info("got", { digits = d })
  local ok, err = s:waitForDtmf(45000)
  log.info("dtmf", { err = err })
end }`,
		"wait_test.lua": `it("times out", function()
  local call = sim.call{}
  call:run()
  local logs = sim.logs()
  assert.equals("", logs[1].digits)
  assert.equals("timeout", logs[2].err)
  assert.equals(75000, sim.now())
end)`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := Run(ctx, Options{Root: dir, Paths: []string{dir}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	requirePassed(t, res)
}

func TestScriptErrorFailsRunUnlessAllowed(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"bad.lua": `return {
  session = function(s) s:answer(); local x = nil; return x.y end,
  events = { ["x::y"] = function(ev) error("handler broke") end },
}`,
		"bad_test.lua": `
it("raises", function() sim.call{}:run() end)
it("allows", function()
  local result, err = sim.call{}:run{ allow_error = true }
  assert.equals("error", result)
  assert.matches("bad.lua:2:", err)
  assert.equals("session", sim.errors()[1].handler)
end)
it("raises for a handler", function() sim.event("x::y") end)
`,
	})
	res := runDir(t, dir, Options{})
	if f := byName(t, res, "raises").Failure; f == nil || !strings.Contains(f.Message, "session script bad failed") {
		t.Errorf("raises: %+v", f)
	}
	if f := byName(t, res, "allows").Failure; f != nil {
		t.Errorf("allows: %s", failureText(f))
	}
	if f := byName(t, res, "raises for a handler").Failure; f == nil || !strings.Contains(f.Message, "handler broke") {
		t.Errorf("handler: %+v", f)
	}
}

func TestCallHelpers(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"menu.lua": `local esl = require("esl")
return { session = function(s)
  s:answer()
  s:execute("set", "greeting=" .. (s:getVariable("caller_id_name") or "?"))
  s:setVariable("lang", "en")
  s:streamFile("menu.wav")
  local d = s:getDigits(2, "#", 3000) or ""
  local reply, err = esl.api("lookup " .. d)
  s:setVariable("lookup", reply or err)
  s:streamFile("bye.wav")
  s:hangup("USER_BUSY")
end }`,
		"menu_test.lua": `
it("records apps, variables, commands and the hangup", function()
  sim.api("lookup", function(args) return "+OK found " .. args end)
  local call = sim.call{ caller_name = "Alice", vars = { account = "42" } }
  call:on_prompt("menu.wav", "12")
  call:run()
  assert.same({ "answer", "set", "playback", "playback" }, call:app_names())
  assert.same({ app = "playback", arg = "menu.wav" }, { app = call:apps()[3].app, arg = call:apps()[3].arg })
  assert.same({ greeting = "Alice", lang = "en", lookup = "+OK found 12" }, call:vars_set())
  assert.equals("42", call:var("account"))
  assert.equals("USER_BUSY", call:hangup_cause())
  assert.is_true(call:answered())
  assert.equals("ok", call:result())
  assert.same({ "lookup 12" }, sim.commands("^lookup"))
end)
it("sees -ERR replies", function()
  sim.api("lookup", "-ERR not found")
  local call = sim.call{}
  call:dtmf("7#")
  call:run()
  assert.equals("not found", call:vars_set().lookup)
end)
it("hangs up after the first prompt", function()
  local call = sim.call{}
  call:hangup_after("playback", 1, "ORIGINATOR_CANCEL")
  call:run()
  assert.same({ "answer", "set", "playback" }, call:app_names())
  assert.equals("ORIGINATOR_CANCEL", call:hangup_cause())
end)
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}

func TestPlayAndGetDigits(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"pagd.lua": `local log = require("log")
return { session = function(s)
  s:answer()
  local d = s:playAndGetDigits(1, 1, 3, 5000, "#", "menu.wav", "invalid.wav", "^[12]$")
  log.info("choice", { digit = d })
end }`,
		"pagd_test.lua": `
it("answers the prompt", function()
  local call = sim.call{}
  call:on_prompt("menu.wav", "2")
  call:run()
  assert.equals("2", sim.logs()[1].digit)
end)
it("takes type-ahead", function()
  local call = sim.call{}
  call:dtmf("1")
  call:run()
  assert.equals("1", sim.logs()[1].digit)
end)
it("gives up after three silent tries", function()
  local call = sim.call{}
  call:run()
  assert.equals("", sim.logs()[1].digit)
end)
it("stops when the caller hangs up mid-menu", function()
  local call = sim.call{}
  call:hangup_on("play_and_get_digits")
  call:run()
  assert.same({ "answer", "play_and_get_digits" }, call:app_names())
  assert.is_false(call:answered() and call:hangup_cause() == nil)
  assert.falsy(sim.logs()[1].digit ~= nil and sim.logs()[1].digit ~= "")
end)
`,
	})
	requirePassed(t, runDir(t, dir, Options{}))
}

// TestEventWaitsForRepliesInVirtualTime: a handler whose api reply takes
// 100 ms of real time (msleep, scaled) is still running, not idle, so
// sim.event must not move virtual time meanwhile (it did under CI load:
// the report timer of testdata/consumer fired between two events).
func TestEventWaitsForRepliesInVirtualTime(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"slow.lua": `local esl, kv, log = require("esl"), require("kv"), require("log")
return {
  events = { ["x::slow"] = function() esl.api("msleep 25000"); kv.incr("n", 1) end },
  timers = { tick = { every = 1000, fn = function() log.info("tick") end } },
}`,
		"slow_test.lua": `it("keeps time still while a reply is awaited", function()
  assert.equals(1, sim.event("x::slow"))
  assert.equals("1", sim.kv.get("n"))
  assert.equals(0, sim.now())
  assert.same({}, sim.logs("info"))
end)`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := Run(ctx, Options{Root: dir, Paths: []string{dir}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	requirePassed(t, res)
}
