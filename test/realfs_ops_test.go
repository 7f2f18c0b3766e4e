package test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// realVersionedScript answers, says which version runs, waits for one
// digit, records version and digit in a channel variable and hangs up;
// its consumer handlers log the events of the calls tagged tok with the
// version that handled them.
func realVersionedScript(version, tok string) string {
	step, handlers := luaEventStep("version = VERSION,")
	return fmt.Sprintf(`local log = require("log")
local VERSION, TOKEN = %q, %q
%sreturn {
  session = function(session)
    session:answer()
    log.info("call started", { version = VERSION })
    local digit, err = session:waitForDtmf(%d)
    session:execute("set", "e2e_version=" .. VERSION .. ":" .. tostring(digit))
    log.info("call finished", { version = VERSION, digit = digit, err = err })
    session:hangup("NORMAL_CLEARING")
  end,
  events = {
%s    ["eslscript::node_up"] = function(ev) log.info("node up", { attempt = ev:get("Attempt") }) end,
  },
}
`, version, tok, step, waitReal.Milliseconds(), handlers)
}

// A script saved while a real call runs it (--watch): the live call
// finishes on the version it started with, a new call gets the new
// version, and the daemon's connection to FreeSWITCH is never re-opened
// (a relay counts one connection; no node_down, one node_up). The
// consumer handlers of the same script see every event of both calls
// exactly once and in order, the live call's from v1 then from v2.
func TestRealReloadDuringLiveCall(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	tap := newESLTap(t, fs.Addr)
	tok := realToken(t)
	dir := writeScripts(t, map[string]string{"live.lua": realVersionedScript("v1", tok)})
	d := startRealDaemon(t, fs, dir, "live", "--watch", "--fs-address", tap.Addr)
	reloads := (&daemon{proc: d.proc}).waitWatching(t, dir)
	vars := map[string]string{"e2e_token": tok}

	first := d.call(t, "", vars)
	firstB := startedOn(t, d, rec, first, "v1")
	writeFile(t, filepath.Join(dir, "live.lua"), realVersionedScript("v2", tok))
	d.waitLogs("reload", reloads+1, msg("host: scripts reloaded"))

	second := d.call(t, "", vars)
	secondB := startedOn(t, d, rec, second, "v2")
	fs.MustAPI(t, "uuid_recv_dtmf "+secondB+" 2")
	d.waitLog("second call finished", msg("call finished", "call", secondB, "version", "v2", "digit", "2"))
	fs.MustAPI(t, "uuid_recv_dtmf "+firstB+" 1")
	d.waitLog("first call finished", msg("call finished", "call", firstB, "version", "v1", "digit", "1"))

	for a, want := range map[string]string{first: "set(e2e_version=v1:1)", second: "set(e2e_version=v2:2)"} {
		if c := rec.Hangup(t, a, waitReal).Get("Hangup-Cause"); c != "NORMAL_CLEARING" {
			t.Errorf("call %s hung up with %s", a, c)
		}
		if apps := rec.Apps(a); !slices.Contains(apps, want) {
			t.Errorf("call %s ran %q, want %s", a, apps, want)
		}
		checkCallEvents(t, d, rec, a)
	}
	var versions []string
	for _, l := range d.logs(msg("event", "uuid", firstB)) {
		if len(versions) == 0 || versions[len(versions)-1] != l.str("version") {
			versions = append(versions, l.str("version"))
		}
	}
	if !slices.Equal(versions, []string{"v1", "v2"}) {
		t.Errorf("the live call's events were handled by %v, want v1 then v2", versions)
	}
	waitCallsGone(t, fs, rec, []string{first, second}, waitReal)
	if n := tap.connections(); n != 1 {
		t.Errorf("%d connections to FreeSWITCH, want the one kept across the reload", n)
	}
	if lost := d.logs(msg("eslscript: node connection lost")); len(lost) != 0 {
		t.Errorf("the node connection was lost: %v", lost)
	}
	if ups := d.logs(msg("node up")); len(ups) != 1 {
		t.Errorf("node_up raised %d times, want once: %v", len(ups), ups)
	}
	d.stop()
	checkLogKeys(t, d.proc)
}

// startedOn waits until the script logged "call started" with version on
// the b-leg of the call whose a-leg is a, and returns the b-leg's uuid.
func startedOn(t *testing.T, d *realDaemon, rec *realfs.Recorder, a, version string) string {
	t.Helper()
	// The b-leg first: a log line is matched only when the log grows, so
	// the match must not depend on what the recorder learns later.
	rec.Wait(t, waitReal, "an event of the b-leg of "+a, rec.BLeg(a))
	l := d.waitLog("call started "+version, msg("call started", "call", rec.BLegUUID(a)))
	if l.str("version") != version {
		t.Fatalf("call %s started on %s, want %s", a, l.str("version"), version)
	}
	return l.str("call")
}

// restartScript reports the node's state changes (running a command from
// node_up), serves calls and logs the answers of the calls tagged TOKEN.
func restartRealScript(tok string) string {
	return fmt.Sprintf(`local log = require("log")
local esl = require("esl")
local TOKEN = %q
return {
  events = {
    ["eslscript::node_down"] = function(ev)
      log.warn("script saw node down", { which = ev:get("Node"), reason = ev:get("Reason") })
    end,
    ["eslscript::node_up"] = function(ev)
      local out, err = esl.api("echo up " .. ev:get("Attempt"))
      log.info("script saw node up", { which = ev:get("Node"), attempt = ev:get("Attempt"), out = out, err = err })
    end,
    CHANNEL_ANSWER = function(ev)
      if ev:var("e2e_token") == TOKEN then log.info("answered", { uuid = ev:uuid() }) end
    end,
  },
  session = function(session)
    session:answer()
    session:execute("set", "e2e_served=" .. TOKEN)
    log.info("served")
    session:hangup("NORMAL_CLEARING")
  end,
}
`, tok)
}

// FreeSWITCH restarted under the daemon: the daemon logs the loss, the
// scripts get node_down then node_up (whose handler's api command works
// on the new connection), and a call placed after the restart is served
// by the outbound script while the consumer sees its events (the event
// subscriptions were made again).
func TestRealFreeSWITCHRestart(t *testing.T) {
	t.Parallel()
	fs := realfs.StartPrivate(t)
	tok := realToken(t)
	dir := writeScripts(t, map[string]string{"restart.lua": restartRealScript(tok)})
	d := startRealDaemon(t, fs, dir, "restart")
	if l := d.waitLog("first node_up", msg("script saw node up")); l.str("attempt") != "0" || l.str("out") != "up 0" {
		t.Fatalf("first node_up line %v", l)
	}

	fs.Restart(t)
	d.waitLog("connection lost", msg("eslscript: node connection lost", "node", "default"))
	if l := d.waitLog("script notified of the loss", msg("script saw node down")); l.str("which") != "default" || l.str("reason") == "" {
		t.Errorf("node_down line %v", l)
	}
	d.waitLog("reconnected", msg("eslscript: node reconnected", "node", "default"))
	up := d.waitLog("script notified of the reconnect", func(l logLine) bool {
		return msg("script saw node up", "which", "default")(l) && l.str("attempt") != "0"
	})
	if up.str("out") != "up "+up.str("attempt") || up.str("err") != "" {
		t.Errorf("node_up handler's api after the restart: %v", up)
	}

	rec := fs.Record(t) // the restarted FreeSWITCH
	a := d.call(t, "", map[string]string{"e2e_token": tok})
	if c := rec.Hangup(t, a, waitReal).Get("Hangup-Cause"); c != "NORMAL_CLEARING" {
		t.Errorf("call after the restart hung up with %s", c)
	}
	if apps := rec.Apps(a); !slices.Contains(apps, "set(e2e_served="+tok+")") {
		t.Errorf("call after the restart ran %q, want the script's set", apps)
	}
	b := rec.BLegUUID(a)
	for _, leg := range []string{a, b} {
		d.waitLog("consumer saw the answer of "+leg, msg("answered", "uuid", leg))
	}
	waitCallsGone(t, fs, rec, []string{a}, waitReal)
	d.stop()
	checkLogKeys(t, d.proc)
}

// drainRealScript: a "short" call plays a one-second beep and finishes;
// a "long" one sleeps a minute.
func drainRealScript(beep string) string {
	return fmt.Sprintf(`local log = require("log")
return {
  session = function(session)
    session:answer()
    local mode = session:getVariable("e2e_mode")
    if mode == "short" then
      session:execute("playback", %q)
      session:execute("set", "e2e_done=yes")
      log.info("short done")
      session:hangup("NORMAL_CLEARING")
      return
    end
    session:execute("sleep", "60000")
    log.info("long cleanup", { ready = session:ready() })
  end,
}
`, beep)
}

// SIGTERM with live real calls and drain {timeout: 5s, cause:
// MANAGER_REQUEST}: the call that ends within the drain finishes its
// script (its last application runs, its own hangup cause), the call
// still sleeping is hung up with the configured cause and its script's
// cleanup runs, no channel is left, and the daemon exits 0.
func TestRealSIGTERMDrain(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	dir := writeScripts(t, map[string]string{"drain.lua": drainRealScript(fs.BeepPath())})
	cfg := writeConfigFile(t, "drain:\n  timeout: 5s\n  cause: MANAGER_REQUEST\n")
	d := startRealDaemon(t, fs, dir, "drain", "--config", cfg)
	short := d.call(t, "", map[string]string{"e2e_mode": "short"})
	long := d.call(t, "", map[string]string{"e2e_mode": "long"})
	for a, app := range map[string]string{short: "playback", long: "sleep"} {
		rec.Wait(t, waitReal, app+" running", realfs.Named("CHANNEL_EXECUTE", func(ev realfs.Event) bool {
			return rec.BLeg(a)(ev) && ev.Get("Application") == app
		}))
	}

	d.signal(syscall.SIGTERM)
	d.waitLog("drain start", msg("eslscript: draining"))
	if c := rec.Hangup(t, short, waitReal).Get("Hangup-Cause"); c != "NORMAL_CLEARING" {
		t.Errorf("the short call hung up with %s, want its own NORMAL_CLEARING", c)
	}
	if apps := strings.Join(rec.Apps(short), " "); !strings.Contains(apps, "set(e2e_done=yes)") {
		t.Errorf("the short call ran %s: its script did not finish", apps)
	}
	if c := rec.Hangup(t, long, waitReal).Get("Hangup-Cause"); c != "MANAGER_REQUEST" {
		t.Errorf("the long call hung up with %s, want the drain cause MANAGER_REQUEST", c)
	}
	if code := d.waitExit(waitReal); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0", code)
	}
	d.waitLog("short done", msg("short done"))
	d.waitLog("cleanup", msg("long cleanup", "ready", "false"))
	waitCallsGone(t, fs, rec, []string{short, long}, waitReal)
	checkLogKeys(t, d.proc)
}
