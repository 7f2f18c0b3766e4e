package test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// hugeRep asks for a string of a terabyte: before the string limit the
// runtime died ("fatal error: runtime: out of memory", exit 2).
const hugeRep = `string.rep("x", 1000000000000)`

// deepJSON builds a table nested 2,000,000 deep and encodes it, directly
// and as a log field: before, the goroutine stack passed its 1 GB limit
// (exit 2).
const deepJSON = `local t = {}
    for i = 1, 2000000 do t = {t} end
    local v, err = json.encode(t)
    log.info("deep", { t = t, err = err })`

// One line of a script (a huge string.rep, a deeply nested table for json)
// in an event handler, a timer, a session or `eslscript exec` fails that
// run, with the script's file and line; the daemon goes on serving.
func TestOneLineCannotTakeTheDaemonDown(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{
		"consumer.lua": `local log, json = require("log"), require("json")
return {
  events = {
    CHANNEL_EXECUTE = function(ev)
      if ev:get("Test-Do") == "rep" then
        ` + hugeRep + `
      elseif ev:get("Test-Do") == "deep" then
        ` + deepJSON + `
      end
      log.info("handled", { seq = tonumber(ev:get("Test-Seq")) })
    end,
  },
}
`,
		"ticker.lua": `return { timers = { boom = { every = 200, fn = function()
  ` + hugeRep + `
end } } }
`,
		"rep.lua": "return {\n  session = function(session)\n    session:answer()\n    " + hugeRep + "\n  end,\n}\n",
		"ivr.lua": quickSession,
	})
	// building the deep table takes well under a second alone, but passed
	// the default 5 s budget with two race-built suites on 2 CPUs: the
	// budget is not what this test is about
	d := startDaemon(t, sim, secret, dir, "--handler-budget", "60s")
	if err := sim.WaitSubscribed(ctxFor(t), "CHANNEL_EXECUTE"); err != nil {
		t.Fatal(err)
	}
	call := sim.NewCall(esltest.CallOptions{})
	for seq, what := range []string{"rep", "deep", ""} {
		ev := sim.ChannelEvent(call, "CHANNEL_EXECUTE")
		ev.Add("Test-Do", what)
		ev.Add("Test-Seq", strconv.Itoa(seq))
		sim.Fire(ev)
	}
	failure := func(script, handler, where, what string) {
		t.Helper()
		l := d.waitLog(script+" "+handler, msg("host: handler failed", "script", script, "handler", handler))
		if e := l.str("error"); !strings.Contains(e, where) || !strings.Contains(e, what) {
			t.Errorf("%s %s failed with %q, want %q and %q", script, handler, e, where, what)
		}
	}
	failure("consumer", "CHANNEL_EXECUTE", "consumer.lua:6:", "string.rep: result of 931.3 GiB would pass the string limit (16.0 MiB)")
	failure("ticker", "timer:boom", "ticker.lua:2:", "string limit")
	deep := d.waitLog("the deep table's log line", msg("deep"))
	if !strings.Contains(deep.str("err"), "nested more than 1000 levels") || !strings.HasPrefix(deep.str("t"), "table: ") {
		t.Errorf("deep line: err %q, t %q", deep.str("err"), deep.str("t"))
	}
	d.waitLogs("the events after the failures", 2, msg("handled"))

	rep := d.dial(t, sim, esltest.CallOptions{Variables: map[string]string{"eslscript_script": "rep"}})
	waitHangup(t, rep)
	failure("rep", "session", "rep.lua:4:", "string limit")
	quick := d.dial(t, sim, esltest.CallOptions{})
	if cause := waitHangup(t, quick); cause != "NORMAL_CLEARING" {
		t.Fatalf("a call after the failures hung up with %s", cause)
	}
	d.waitLog("the call after the failures", msg("quick done", "call", quick.UUID()))

	file := filepath.Join(writeScripts(t, map[string]string{"one.lua": "print('start')\n" + hugeRep + "\n"}), "one.lua")
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "exec", "--fs-address", sim.Addr(), file)
	if code := p.waitExit(waitLong); code != 5 {
		t.Fatalf("exec exited %d, want 5 (a script error)", code)
	}
	if out := p.stderr.String(); !strings.Contains(out, "one.lua:2: string.rep: result of 931.3 GiB") {
		t.Fatalf("exec's error does not name one.lua:2 and the limit:\n%s", out)
	}
	d.stop()
}

// The catastrophic pattern of the attack report no longer holds a worker
// past its budget (it ran 29-33 s under a 2 s budget, and would take
// hours with 40 characters): the handler is stopped at the budget and the
// worker handles the next events; under `exec --timeout 1s` the run is
// stopped too.
func TestCatastrophicPatternHonoursTheBudget(t *testing.T) {
	t.Parallel()
	const evil = `string.find(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40))`
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{"consumer.lua": `local log = require("log")
return {
  events = {
    CHANNEL_EXECUTE = function(ev)
      if ev:get("Test-Evil") == "yes" then
        ` + evil + `
      end
      log.info("handled", { uuid = ev:get("Unique-ID") })
    end,
  },
}
`, "ivr.lua": idleIVR})
	d := startDaemon(t, sim, secret, dir, "--handler-budget", "300ms")
	if err := sim.WaitSubscribed(ctxFor(t), "CHANNEL_EXECUTE"); err != nil {
		t.Fatal(err)
	}
	call := sim.NewCall(esltest.CallOptions{})
	ev := sim.ChannelEvent(call, "CHANNEL_EXECUTE")
	ev.Add("Test-Evil", "yes")
	sim.Fire(ev)
	sim.Fire(sim.ChannelEvent(call, "CHANNEL_EXECUTE"))
	l := d.waitLog("the budget failure", msg("host: handler failed", "handler", "CHANNEL_EXECUTE"))
	if e := l.str("error"); !strings.Contains(e, "time budget exceeded") || !strings.Contains(e, "consumer.lua:6:") {
		t.Fatalf("failure %q: want the time budget at consumer.lua:6", e)
	}
	d.waitLog("the next event of the same call", msg("handled", "uuid", call.UUID()))
	d.stop()

	file := filepath.Join(writeScripts(t, map[string]string{"evil.lua": evil + "\n"}), "evil.lua")
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "exec", "--fs-address", sim.Addr(), "--timeout", "1s", file)
	if code := p.waitExit(waitLong); code != 5 {
		t.Fatalf("exec exited %d, want 5", code)
	}
	if out := p.stderr.String(); !strings.Contains(out, "evil.lua:1: stopped: timeout") {
		t.Fatalf("exec's error:\n%s", out)
	}
}

// A call script busy in a loop is stopped by the busy budget (seconds),
// not by the session budget (hours), while a call that waits for far
// longer than the busy budget goes on to its end; `exec --busy-budget`
// stops a busy one-shot script (before, only --timeout did, 1 hour by
// default).
func TestBusySessionIsStopped(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{
		"spin.lua": spinningSession,
		"ivr.lua": `local log = require("log")
return {
  session = function(session)
    session:answer()
    for i = 1, 15 do session:sleep(200) end
    log.info("patient done")
    session:hangup("NORMAL_CLEARING")
  end,
}
`,
	})
	d := startDaemon(t, sim, secret, dir, "--busy-budget", "1s")
	patient := d.dial(t, sim, esltest.CallOptions{})
	spinner := d.dial(t, sim, esltest.CallOptions{Variables: map[string]string{"eslscript_script": "spin"}})
	l := d.waitLog("the busy failure", msg("host: handler failed", "script", "spin", "handler", "session"))
	if e := l.str("error"); !strings.Contains(e, "busy budget exceeded") || !strings.Contains(e, "spin.lua:4") {
		t.Fatalf("failure %q: want the busy budget at spin.lua:4", e)
	}
	waitHangup(t, spinner)
	if cause := waitHangup(t, patient); cause != "NORMAL_CLEARING" {
		t.Fatalf("the waiting call hung up with %s", cause)
	}
	d.waitLog("the waiting call", msg("patient done", "call", patient.UUID()))
	if n := len(d.logs(msg("host: handler failed"))); n != 1 {
		t.Fatalf("%d failures, want 1", n)
	}
	d.stop()

	file := filepath.Join(writeScripts(t, map[string]string{"spin.lua": "local n = 0\nwhile true do n = n + 1 end\n"}), "spin.lua")
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "exec", "--fs-address", sim.Addr(), "--busy-budget", "300ms", file)
	if code := p.waitExit(waitLong); code != 5 {
		t.Fatalf("exec exited %d, want 5", code)
	}
	if out := p.stderr.String(); !strings.Contains(out, "spin.lua:2: stopped: busy budget exceeded") {
		t.Fatalf("exec's error:\n%s", out)
	}
}

// A call script (and then an event handler) that grows a table of 1 MiB
// strings is stopped when the heap nears the memory limit: the process
// stays under the limit, a call that waits meanwhile goes on to its end,
// and the daemon keeps serving. Before, a session reached 3 GiB in 11 s.
func TestMemoryRunawayIsStopped(t *testing.T) {
	t.Parallel()
	const limit = 256 << 20
	grow := "local t = {}\n    while true do t[#t + 1] = string.rep('x', 1048576) end"
	sim, secret := newSim(t, esltest.Options{})
	dir := writeScripts(t, map[string]string{
		"grow.lua": "return {\n  session = function(session)\n    session:answer()\n    " + grow + "\n  end,\n}\n",
		"consumer.lua": `return {
  events = {
    CHANNEL_EXECUTE = function(ev)
      if ev:get("Test-Grow") == "yes" then
        ` + grow + `
      end
    end,
  },
}
`,
		"ivr.lua": `local log = require("log")
return {
  session = function(session)
    session:answer()
    log.info("calm started")
    for i = 1, 20 do session:sleep(150) end
    log.info("calm done")
    session:hangup("NORMAL_CLEARING")
  end,
}
`,
	})
	d := startDaemon(t, sim, secret, dir, "--memory-limit", strconv.Itoa(limit))
	calm := d.dial(t, sim, esltest.CallOptions{})
	d.waitLog("the calm call", msg("calm started", "call", calm.UUID()))
	grower := d.dial(t, sim, esltest.CallOptions{Variables: map[string]string{"eslscript_script": "grow"}})
	l := d.waitLog("the session's memory failure", msg("host: handler failed", "script", "grow", "handler", "session"))
	if e := l.str("error"); !strings.Contains(e, "memory limit reached") || !strings.Contains(e, "grow.lua:5") {
		t.Fatalf("failure %q: want the memory limit at grow.lua:5", e)
	}
	t.Logf("session stopped: %s", l.str("error"))
	waitHangup(t, grower)

	if err := sim.WaitSubscribed(ctxFor(t), "CHANNEL_EXECUTE"); err != nil {
		t.Fatal(err)
	}
	ev := sim.ChannelEvent(sim.NewCall(esltest.CallOptions{}), "CHANNEL_EXECUTE")
	ev.Add("Test-Grow", "yes")
	sim.Fire(ev)
	l = d.waitLog("the handler's memory failure", msg("host: handler failed", "script", "consumer", "handler", "CHANNEL_EXECUTE"))
	if e := l.str("error"); !strings.Contains(e, "memory limit reached") || !strings.Contains(e, "consumer.lua:6") {
		t.Fatalf("failure %q: want the memory limit at consumer.lua:6", e)
	}

	if cause := waitHangup(t, calm); cause != "NORMAL_CLEARING" {
		t.Fatalf("the calm call hung up with %s", cause)
	}
	d.waitLog("the calm call's end", msg("calm done", "call", calm.UUID()))
	peak := peakRSS(t, d.cmd.Process.Pid)
	t.Logf("peak resident memory %d MiB (limit %d MiB)", peak>>20, limit>>20)
	if peak >= limit {
		t.Fatalf("the process peaked at %d MiB, over its %d MiB limit", peak>>20, limit>>20)
	}
	d.stop()
}

// peakRSS reads the process's peak resident memory (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
