package test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// inboundExecScript is a one-shot script that uses every inbound command
// against the real FreeSWITCH and logs each result. argv: token, the
// uuid to give the call it parks, the uuid to give the call to busy.
const inboundExecScript = `local esl = require("esl")
local log = require("log")
local tok, parked, busy = argv[1], argv[2], argv[3]

local out, err = esl.api("echo hello " .. tok)
log.info("api", { out = out, err = err })
out, err = esl.api("nosuchcmd " .. tok)
log.info("api unknown", { out = out, err = err })

local job = esl.bgapi("echo bg " .. tok)
local res, jerr = job:wait(10000)
log.info("bgapi wait", { job = job.uuid, out = res, err = jerr })

local got
local cbjob = esl.bgapi("echo cb " .. tok, function(r, e) got = { out = r, err = e } end)
for _ = 1, 500 do
  if got then break end
  freeswitch.msleep(20)
end
log.info("bgapi callback", { job = cbjob.uuid, called = got ~= nil, out = got and got.out, err = got and got.err })

local u, cause = esl.originate("loopback/busy/default", "&park()", { uuid = busy })
log.info("originate busy", { uuid = u, cause = cause })
u, cause = esl.originate("loopback/nosuch" .. tok .. "/default", "&park()")
log.info("originate no route", { uuid = u, cause = cause })
u, cause = esl.originate("loopback/park/default", "&park()", { uuid = parked, vars = { e2e_token = tok } })
log.info("originate park", { uuid = u, cause = cause })

local id, xerr = esl.execute(parked, "set", "e2e_exec=" .. tok)
log.info("execute", { id = id, err = xerr })
local ok, merr = esl.sendmsg(parked, { ["call-command"] = "execute", ["execute-app-name"] = "set",
                                       ["execute-app-arg"] = "e2e_msg=" .. tok })
log.info("sendmsg", { ok = ok, err = merr })
-- both messages run on the parked channel before it is hung up
local seen
for _ = 1, 400 do
  seen = esl.api("uuid_getvar " .. parked .. " e2e_msg")
  if seen == tok then break end
  freeswitch.msleep(25)
end
log.info("getvar", { out = seen })

id, err = esl.fire("e2e::fired", { Token = tok, Multi = { "one", "two words" }, Arr = "ARRAY::x|:y z" }, "fired body " .. tok)
log.info("fire", { id = id, err = err })
id, err = esl.sendevent("CUSTOM", { ["Event-Subclass"] = "e2e::sent", Token = tok }, "sent body " .. tok)
log.info("sendevent", { id = id, err = err })

ok, err = esl.hangup(parked, "CALL_REJECTED")
log.info("hangup", { ok = ok, err = err })
ok, err = esl.hangup(parked, "CALL_REJECTED")
log.info("hangup again", { ok = ok, err = err })
`

// `eslscript exec` drives every inbound command against the real
// FreeSWITCH: api (a result, an unknown command's -ERR text), bgapi
// (job:wait and the callback form, each job the BACKGROUND_JOB FreeSWITCH
// fired), originate (USER_BUSY and NO_ROUTE_DESTINATION as FreeSWITCH
// gives them, a parked call with the uuid and variable asked for),
// execute and sendmsg (the applications run on that call, the execute's
// id is their Application-UUID), fire and sendevent (the CUSTOM events
// with their headers, repeated header, ARRAY value and body) and hangup
// (the cause FreeSWITCH records; a second hangup fails with its words).
// The results are the same whether FreeSWITCH sends the job results as
// plain or as JSON events (--fs-event-format).
func TestRealInboundExec(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"plain", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			testRealInboundExec(t, format)
		})
	}
}

func testRealInboundExec(t *testing.T, format string) {
	fs := realfs.Start(t)
	rec := fs.RecordEvents(t, append(slices.Clone(realfs.RecordedEvents), "e2e::fired", "e2e::sent")...)
	tok, parked, busy := realToken(t), realfs.NewUUID(), realfs.NewUUID()
	p := execReal(t, fs, inboundExecScript, []string{"--fs-event-format", format}, tok, parked, busy)
	if code := p.waitExit(waitReal); code != 0 {
		t.Fatalf("exec exited %d", code)
	}
	line := func(m string) logLine { return p.waitLog(m, msg(m)) }
	expect := func(m string, kv ...string) logLine {
		t.Helper()
		l := line(m)
		for i := 0; i+1 < len(kv); i += 2 {
			if got := l.str(kv[i]); got != kv[i+1] {
				t.Errorf("%q line: %s = %q, want %q (line %v)", m, kv[i], got, kv[i+1], l)
			}
		}
		return l
	}

	expect("api", "out", "hello "+tok, "err", "")
	if l := line("api unknown"); l.str("out") != "" || !strings.Contains(l.str("err"), "Command not found") ||
		strings.HasPrefix(l.str("err"), "-ERR") {
		t.Errorf("unknown api command: %v, want nil and FreeSWITCH's text without -ERR", l)
	}
	for _, c := range []struct{ line, out string }{{"bgapi wait", "bg " + tok}, {"bgapi callback", "cb " + tok}} {
		l := expect(c.line, "out", c.out, "err", "")
		job := rec.Wait(t, waitReal, "BACKGROUND_JOB of "+c.line, realfs.Named("BACKGROUND_JOB",
			func(ev realfs.Event) bool { return ev.Get("Job-UUID") == l.str("job") }))
		if job.Body != c.out {
			t.Errorf("%s: FreeSWITCH's job %s has body %q, want %q", c.line, l.str("job"), job.Body, c.out)
		}
	}
	expect("bgapi callback", "called", "true")

	expect("originate busy", "uuid", "", "cause", "USER_BUSY")
	if c := hangupOf(t, rec, busy).Get("Hangup-Cause"); c != "USER_BUSY" {
		t.Errorf("the busy call hung up with %s on FreeSWITCH", c)
	}
	expect("originate no route", "uuid", "", "cause", "NO_ROUTE_DESTINATION")
	expect("originate park", "uuid", parked, "cause", "")

	exec := expect("execute", "err", "")
	expect("sendmsg", "ok", "true", "err", "")
	expect("getvar", "out", tok)
	expect("hangup", "ok", "true", "err", "")
	if c := hangupOf(t, rec, parked).Get("Hangup-Cause"); c != "CALL_REJECTED" {
		t.Errorf("the parked call hung up with %s on FreeSWITCH, want CALL_REJECTED", c)
	}
	var sets []string // recorded before the hangup: FreeSWITCH sends a channel's events in order
	for _, ev := range channelEvents(rec, parked, "CHANNEL_EXECUTE") {
		if ev.Get("Application") == "set" {
			sets = append(sets, ev.Get("Application-Data"))
			if ev.Get("Application-Data") == "e2e_exec="+tok && ev.Get("Application-UUID") != exec.str("id") {
				t.Errorf("execute returned %q, FreeSWITCH ran it as Application-UUID %q", exec.str("id"), ev.Get("Application-UUID"))
			}
		}
	}
	if want := []string{"e2e_exec=" + tok, "e2e_msg=" + tok}; !slices.Equal(sets, want) {
		t.Errorf("set applications run on the parked call: %q, want %q", sets, want)
	}

	for _, c := range []struct{ line, sub, body string }{{"fire", "e2e::fired", "fired body "}, {"sendevent", "e2e::sent", "sent body "}} {
		l := expect(c.line, "err", "")
		ev := rec.Wait(t, waitReal, c.sub+" event", realfs.Named(c.sub, func(ev realfs.Event) bool {
			return ev.Get("Token") == tok
		}))
		if ev.Get("Event-UUID") != l.str("id") || ev.Body != c.body+tok {
			t.Errorf("%s returned %q; FreeSWITCH fired Event-UUID %q body %q", c.line, l.str("id"), ev.Get("Event-UUID"), ev.Body)
		}
		if c.line != "fire" {
			continue
		}
		if got := ev.Values("Multi"); !slices.Equal(got, []string{"one", "two words"}) {
			t.Errorf("fired header Multi: %q, want one header per item", got)
		}
		if got := ev.Get("Arr"); got != "ARRAY::x|:y z" {
			t.Errorf("fired header Arr = %q", got)
		}
	}

	if l := line("hangup again"); l.str("ok") != "" || !strings.Contains(l.str("err"), "No such channel") {
		t.Errorf("hangup of a gone call: %v", l)
	}
	waitCallsGone(t, fs, rec, []string{parked, busy}, waitReal)
	checkLogKeys(t, p)
}

// handlerInboundScript sends commands from the daemon's event handlers
// and from a timer. The parked a-leg of the call tagged TOKEN gets two
// set applications (execute, sendmsg); when the second completes, a
// bgapi callback reads the variable the first set and hangs the call up.
func handlerInboundScript(tok string) string {
	return fmt.Sprintf(`local esl = require("esl")
local log = require("log")
local TOKEN = %q
local done = false
return {
  events = {
    CHANNEL_PARK = function(ev)
      if ev:var("e2e_token") ~= TOKEN or not ev:get("Channel-Name"):match("%%-a$") then return end
      local id, err = esl.execute(ev:uuid(), "set", "e2e_exec=" .. TOKEN)
      log.info("execute", { id = id, err = err })
      local ok, merr = esl.sendmsg(ev:uuid(), { ["call-command"] = "execute", ["execute-app-name"] = "set",
                                                ["execute-app-arg"] = "e2e_msg=" .. TOKEN })
      log.info("sendmsg", { ok = ok, err = merr })
    end,
    CHANNEL_EXECUTE_COMPLETE = function(ev)
      if ev:var("e2e_token") ~= TOKEN or ev:get("Application-Data") ~= "e2e_msg=" .. TOKEN then return end
      local uuid = ev:uuid()
      local job, err = esl.bgapi("uuid_getvar " .. uuid .. " e2e_exec", function(res, cerr)
        log.info("getvar callback", { out = res, err = cerr })
        local ok, herr = esl.hangup(uuid, "CALL_REJECTED")
        log.info("hangup", { ok = ok, err = herr })
      end)
      log.info("bgapi sent", { job = job and job.uuid, err = err })
    end,
  },
  timers = {
    probe = { every = 100, fn = function()
      if done then return end
      local out, err = esl.api("echo timer " .. TOKEN)
      if not out then log.info("timer api not yet", { err = err }) return end
      done = true
      local res, jerr = esl.bgapi("echo timer bg " .. TOKEN):wait(10000)
      log.info("timer", { out = out, bg = res, err = jerr })
    end },
  },
}
`, tok)
}

// The daemon's handlers and timers send commands to the real FreeSWITCH:
// a timer's api and bgapi (job:wait) on the default node, and, driven by
// a call's own events, execute and sendmsg on the parked call (FreeSWITCH
// runs both), then a bgapi whose callback reads the variable and hangs
// the call up with the cause FreeSWITCH then records.
func TestRealInboundFromHandlersAndTimers(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	tok := realToken(t)
	dir := writeScripts(t, withIdle(map[string]string{"inbound.lua": handlerInboundScript(tok)}))
	d := startRealDaemon(t, fs, dir, idleScript)
	if l := d.waitLog("timer line", msg("timer")); l.str("out") != "timer "+tok || l.str("bg") != "timer bg "+tok || l.str("err") != "" {
		t.Fatalf("timer line %v", l)
	}

	a := fs.Originate(t, "park", map[string]string{"e2e_token": tok})
	if c := hangupOf(t, rec, a).Get("Hangup-Cause"); c != "CALL_REJECTED" {
		t.Errorf("the call hung up with %s, want CALL_REJECTED (from the bgapi callback)", c)
	}
	if l := d.waitLog("getvar callback", msg("getvar callback")); l.str("out") != tok || l.str("err") != "" {
		t.Errorf("callback line %v, want the variable the execute set", l)
	}
	for _, m := range []string{"execute", "sendmsg", "bgapi sent", "hangup"} {
		if l := d.waitLog(m, msg(m)); l.str("err") != "" || l.str("call") != a {
			t.Errorf("%s line %v: want no error, logged for call %s", m, l, a)
		}
	}
	var sets []string
	for _, ev := range channelEvents(rec, a, "CHANNEL_EXECUTE") {
		if ev.Get("Application") == "set" {
			sets = append(sets, ev.Get("Application-Data"))
		}
	}
	if want := []string{"e2e_exec=" + tok, "e2e_msg=" + tok}; !slices.Equal(sets, want) {
		t.Errorf("set applications run on the call: %q, want %q", sets, want)
	}
	waitCallsGone(t, fs, rec, []string{a}, waitReal)
	d.stop()
	checkLogKeys(t, d.proc)
}
