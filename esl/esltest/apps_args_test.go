package esltest

import (
	"strings"
	"testing"
	"time"
)

// execMsg is the exact sendmsg an ESL client writes for app(arg).
func execMsg(uuid, app, arg string) string {
	return "sendmsg " + uuid + "\ncall-command: execute\nexecute-app-name: " + app +
		"\nexecute-app-arg: " + arg + "\nevent-lock: true\n\n"
}

// runApp sends app(arg) on call and waits for it to finish, returning
// that execution and how long it took.
func runApp(t *testing.T, c *raw, call *Call, app, arg string) (Execution, time.Duration) {
	t.Helper()
	n := len(call.Executed())
	start := time.Now()
	c.send(execMsg(call.UUID(), app, arg))
	c.expectReply("+OK")
	err := call.s.waitFor(ctxT(t), app+" done", func() bool {
		ex := call.Executed()
		return len(ex) > n && ex[n].Done
	})
	if err != nil {
		t.Fatal(err)
	}
	return call.Executed()[n], time.Since(start)
}

func TestPlayAndGetDigitsQuotedArgs(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{DTMF: "52"})
	call.CloseDTMF()
	c := authed(t, s)
	// Exactly what bindings' playAndGetDigits sends: try 1 "5" fails the
	// regex, try 2 "2" matches.
	runApp(t, c, call, "play_and_get_digits",
		`1 1 3 5000 '#' 'ivr/menu.wav' 'ivr/invalid.wav' 'eslscript_pagd_digits' '[1-3]' 3000 ''`)
	if got := call.Var("eslscript_pagd_digits"); got != "2" {
		t.Fatalf("eslscript_pagd_digits = %q, want 2 (vars %v)", got, call.Vars())
	}
	if v := call.Var("eslscript_pagd_digits_invalid"); v != "5" {
		t.Fatalf("invalid = %q", v)
	}
}

func TestExpansionBeforeSplit(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{DTMF: "12", Variables: map[string]string{"range": "2 2"}})
	call.CloseDTMF()
	c := authed(t, s)
	// "${range}" becomes two arguments (min 2, max 2) only if ${} is
	// expanded before the split.
	runApp(t, c, call, "play_and_get_digits", `${range} 1 1000 # silence_stream://1 '' got`)
	if got := call.Var("got"); got != "12" {
		t.Fatalf("got = %q, want 12 (vars %v)", got, call.Vars())
	}
}

func TestUUIDSetvarSeparateString(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	u := call.UUID()
	for line, want := range map[string]string{
		"uuid_setvar " + u + ` greeting 'it\'s a \\ test '`: `it's a \ test `,
		"uuid_setvar " + u + ` plain   hello world  `:       "hello world",
		"uuid_setvar " + u + ` dollar '${not_expanded}'`:    "${not_expanded}",
	} {
		if got := c.api(line); got != "+OK\n" {
			t.Fatalf("%s: %q", line, got)
		}
		name := strings.Fields(line)[2]
		if got := c.api("uuid_getvar " + u + " " + name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := c.api("uuid_setvar " + u + " plain ''"); got != "+OK\n" || call.Var("plain") != "" {
		t.Fatalf("unset: %q, plain=%q", got, call.Var("plain"))
	}
	if got := c.api("uuid_setvar " + u); got != "-USAGE: <uuid> <var> [value]\n" {
		t.Fatalf("usage: %q", got)
	}
}

func TestScopedSleepEatsDigitsForItsDuration(t *testing.T) {
	s := fastSim(t, Options{TimeScale: 0.01})
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	c.send("event plain DTMF CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE")
	c.expectReply("+OK event listener enabled plain")
	start := time.Now()
	c.send(execMsg(call.UUID(), "sleep", "%[sleep_eat_digits=true,playback_terminators=none]60000"))
	evs := c.replyAmid("+OK")
	if _, err := call.WaitExecuting(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	if call.Var("sleep_eat_digits") != "true" || call.Var("playback_terminators") != "none" {
		t.Fatalf("scoped vars not visible during the execution: %q", call.Var("sleep_eat_digits"))
	}
	call.SendDTMF("5*")
	var digits string
	var exec, done frame
	for i := 0; done.raw == ""; i++ {
		if i >= len(evs) {
			evs = append(evs, c.event())
		}
		switch e := evs[i]; e.get("Event-Name") {
		case "CHANNEL_EXECUTE":
			exec = e
		case "DTMF":
			digits += e.get("DTMF-Digit")
		case "CHANNEL_EXECUTE_COMPLETE":
			done = e
		}
	}
	// 60000 ms scaled by 0.01: the digits neither end nor shorten it.
	if el := time.Since(start); el < 600*time.Millisecond {
		t.Fatalf("sleep took %v, want >= 600ms", el)
	}
	if digits != "5*" || call.PendingDTMF() != "" {
		t.Fatalf("DTMF events %q, pending %q", digits, call.PendingDTMF())
	}
	if exec.get("Application-Data") != "60000" || exec.get("scope_variable_sleep_eat_digits") != "true" ||
		exec.get("scope_variable_playback_terminators") != "none" {
		t.Fatalf("CHANNEL_EXECUTE %q", exec.raw)
	}
	if done.get("Application-Data") != "60000" || done.get("variable_current_application_data") != "60000" {
		t.Fatalf("CHANNEL_EXECUTE_COMPLETE %q", done.raw)
	}
	if call.Var("sleep_eat_digits") != "" || call.Var("playback_terminators") != "" {
		t.Fatal("scoped vars outlived the execution")
	}
}

func TestSleepDigitHandling(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	c.send("event plain DTMF")
	c.expectReply("+OK event listener enabled plain")
	// Plain sleep: the first digit ends it early, and stays queued.
	c.send(execMsg(call.UUID(), "sleep", "100000000"))
	c.expectReply("+OK")
	if _, err := call.WaitExecuting(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	call.SendDTMF("7")
	if _, err := call.WaitExecuted(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	if call.PendingDTMF() != "7" {
		t.Fatalf("pending %q, want the digit left queued", call.PendingDTMF())
	}
	call.flushDTMF()
	// sleep_eat_digits with the default terminator "*": digits are eaten
	// as DTMF events until "*" ends the sleep.
	call.SetVar("sleep_eat_digits", "true")
	c.send(execMsg(call.UUID(), "sleep", "100000000"))
	c.expectReply("+OK")
	if _, err := call.WaitExecuting(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	call.SendDTMF("1*9")
	for _, want := range []string{"1", "*"} {
		if e := c.eventNamed("DTMF"); e.get("DTMF-Digit") != want {
			t.Fatalf("DTMF %q, want %q (the 7 must not have fired)", e.get("DTMF-Digit"), want)
		}
	}
	if err := call.WaitVar(ctxT(t), "playback_terminator_used", "*"); err != nil {
		t.Fatal(err)
	}
	waitDone(t, call, "sleep", 2)
	if call.PendingDTMF() != "9" {
		t.Fatalf("pending %q, want 9", call.PendingDTMF())
	}
}

// waitDone waits until n executions of app finished.
func waitDone(t *testing.T, call *Call, app string, n int) {
	t.Helper()
	err := call.s.waitFor(ctxT(t), app+" done", func() bool {
		k := 0
		for _, e := range call.Executed() {
			if e.App == app && e.Done {
				k++
			}
		}
		return k >= n
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestScopedPlaybackTakesItsTime(t *testing.T) {
	s := fastSim(t, Options{TimeScale: 0.1})
	call := s.NewCall(CallOptions{DTMF: "*"})
	call.CloseDTMF()
	c := authed(t, s)
	e, took := runApp(t, c, call, "playback", "%[playback_terminators=none]silence_stream://500")
	if took < 50*time.Millisecond {
		t.Fatalf("playback took %v, want >= 50ms (500 ms scaled by 0.1)", took)
	}
	if e.Args != "silence_stream://500" || e.Response != "FILE PLAYED" {
		t.Fatalf("execution %+v", e)
	}
	if call.PendingDTMF() != "" || call.Var("playback_terminator_used") != "" {
		t.Fatalf("* must be consumed without terminating: pending %q, used %q",
			call.PendingDTMF(), call.Var("playback_terminator_used"))
	}
	// Without the scope, the default terminator "*" stops playback at once.
	call.SendDTMF("*")
	if _, took = runApp(t, c, call, "playback", "silence_stream://100000000"); took > 5*time.Second {
		t.Fatalf("playback not stopped by *: %v", took)
	}
	if call.Var("playback_terminator_used") != "*" {
		t.Fatalf("playback_terminator_used %q", call.Var("playback_terminator_used"))
	}
}
