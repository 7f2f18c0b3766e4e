package bindings

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

func TestSessionMediaArgs(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		r_answer = session:answer()
		session:preAnswer()
		r_play = session:streamFile("/tmp/a b.wav")
		session:streamFile("ivr/x.wav", 8000)
		session:sleep(1500)
		session:recordFile("/tmp/rec.wav", 120, 200, 3)
		session:recordFile("/tmp/my rec.wav")
		session:say("1234", "en", "number", "pronounced")
		session:say("12", "en", "number", "counted", "FEMININE")
		session:sayPhrase("voicemail_record_file_check", "1:2:3", "en")
		session:sayPhrase("hello")
		r_exec = session:execute("set", "foo=${bar}")
		session:execute("info")
		session:set_tts_params("flite", "kal")
		session:speak("hi there")
	`)
	execs, _ := call.recorded()
	assertList(t, "execs", execs, []string{
		"answer|",
		"pre_answer|",
		"playback|%[playback_terminators=none]/tmp/a b.wav",
		"playback|%[playback_terminators=none]ivr/x.wav@@8000",
		"sleep|%[sleep_eat_digits=true,playback_terminators=none]1500",
		"record|%[playback_terminators=none]/tmp/rec.wav 120 200 3",
		"record|%[playback_terminators=none]'/tmp/my rec.wav' 0 0 0",
		"say|en number pronounced '1234'",
		"say|en number counted FEMININE '12'",
		"phrase|%[language=en]voicemail_record_file_check,1:2:3",
		"phrase|hello",
		"set|foo=${bar}",
		"info|",
		"speak|flite|kal|hi there",
	})
	for name, want := range map[string]string{"r_answer": "1", "r_play": "1", "r_exec": "true"} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

func TestSessionStreamFileNotFound(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		return completion(app, arg, "FILE NOT FOUND"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `r = session:streamFile("missing.wav")`)
	if got := global(L, "r"); got != "0" {
		t.Fatalf("streamFile = %s, want 0", got)
	}
}

func TestSessionPlayAndGetDigits(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		return completion(app, arg, "_none_", "pin", "1234", "eslscript_pagd_digits", "5"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		d1 = session:playAndGetDigits(4, 4, 3, 5000, "#", "ivr/enter_pin.wav", "", "\\d+", "pin", 2000)
		d2 = session:playAndGetDigits(1, 1, 3, 5000, "", "ivr/menu.wav", "ivr/bad.wav", "[123]")
		d3 = session:playAndGetDigits(2, 4, 1, 3000, "#", "p.wav", "", "")
	`)
	execs, _ := call.recorded()
	assertList(t, "execs", execs, []string{
		`play_and_get_digits|4 4 3 5000 '#' 'ivr/enter_pin.wav' '' 'pin' '\\\\d+' 2000`,
		`play_and_get_digits|1 1 3 5000 '' 'ivr/menu.wav' 'ivr/bad.wav' 'eslscript_pagd_digits' '[123]' 0`,
		`play_and_get_digits|2 4 1 3000 '#' 'p.wav' '' 'eslscript_pagd_digits' '' 0`,
	})
	for name, want := range map[string]string{"d1": "1234", "d2": "5", "d3": ""} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// Digits typed during a prompt (the playback dequeued them: they are in
// the host FIFO) are read by playAndGetDigits on the host, as the app
// would have read them had they still been queued in FreeSWITCH: no app
// runs and nothing is queued on the channel again.
func TestSessionPlayAndGetDigitsTypeAhead(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		call.events <- dtmf("4")
		call.events <- dtmf("2")
		return completion(app, arg, "FILE PLAYED"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		session:streamFile("menu.wav")
		d = session:playAndGetDigits(1, 2, 1, 3000, "#", "p.wav", "", "")
		left, err = session:waitForDtmf(1)
	`)
	execs, apis := call.recorded()
	assertList(t, "execs", execs, []string{"playback|%[playback_terminators=none]menu.wav"})
	assertList(t, "apis", apis, []string{"uuid_setvar " + testUUID + " read_result 'success'"}) // as the app's read
	if global(L, "d") != "42" {
		t.Errorf("digits = %q", global(L, "d"))
	}
	if global(L, "left") != "nil" || global(L, "err") != "timeout" {
		t.Errorf("digits playAndGetDigits read stayed queued: %s, %s", global(L, "left"), global(L, "err"))
	}
}

func TestSessionGetDigitsTypeAhead(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		for _, d := range []string{"1", "2", "#", "7"} { // typed during playback
			call.events <- dtmf(d)
		}
		return completion(app, arg, "FILE PLAYED"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		session:streamFile("prompt.wav")
		a = session:getDigits(5, "#", 3000)
		b = session:getDigits(1, "", 3000)
	`)
	if global(L, "a") != "12" || global(L, "b") != "7" {
		t.Fatalf("getDigits = %q, %q; want 12, 7", global(L, "a"), global(L, "b"))
	}
}

func TestSessionGetDigitsTimeout(t *testing.T) {
	call, clk := newFakeCall(), newFakeClock()
	L := sessionState(t, &testEnv{Clock: clk}, call)
	done := make(chan error, 1)
	go func() {
		done <- L.DoString(`got = session:getDigits(4, "#", 5000, 2000)`)
	}()
	clk.awaitAfter(t, 1) // first-digit timeout armed
	call.events <- dtmf("9")
	clk.awaitAfter(t, 1) // interdigit timeout armed after the digit
	clk.Advance(2 * time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := global(L, "got"); got != "9" {
		t.Fatalf("getDigits = %q, want 9", got)
	}
}

func TestSessionHangupFailsFast(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `before = session:ready()`)
	call.hangup("USER_BUSY")
	run(t, L, `
		after = session:ready()
		a, aerr = session:answer()
		d, derr = session:getDigits(1, "", 1000)
		v = session:getVariable("last_dest")
		nv, nerr = session:getVariable("nope")
		cause = session:hangupCause()
		cleanup = "ran"
	`)
	execs, apis := call.recorded()
	if len(execs) != 0 || len(apis) != 0 {
		t.Fatalf("commands after hangup: %q %q", execs, apis)
	}
	want := map[string]string{"before": "true", "after": "false", "a": "nil", "aerr": "hangup",
		"d": "nil", "derr": "hangup", "v": "ivr", "nv": "nil", "nerr": "hangup",
		"cause": "NONE", "cleanup": "ran"} // as mod_lua: only an originate gives a session a cause
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestSessionHangupDuringExecute(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(ctx context.Context, app, arg string) (*esl.Event, error) {
		call.hangup("NORMAL_CLEARING")
		return nil, esl.ErrHangup
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `r, err = session:streamFile("x.wav"); ready = session:ready()`)
	if global(L, "r") != "nil" || global(L, "err") != "hangup" || global(L, "ready") != "false" {
		t.Fatalf("got %s, %s, ready %s", global(L, "r"), global(L, "err"), global(L, "ready"))
	}
}

func TestSessionVariables(t *testing.T) {
	call := newFakeCall()
	call.onAPI = func(cmd string) (string, error) {
		switch cmd {
		case "uuid_getvar " + testUUID + " set_me":
			return "value with spaces", nil
		case "uuid_getvar " + testUUID + " unset":
			return "_undef_", nil
		}
		return "+OK", nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		a = session:getVariable("set_me")
		b = tostring(session:getVariable("unset"))
		session:setVariable("greeting", "it's a \\ test")
		session:setVariable("gone")
	`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{
		"uuid_getvar " + testUUID + " set_me",
		"uuid_getvar " + testUUID + " unset",
		"uuid_setvar " + testUUID + ` greeting 'it\'s a \\ test'`,
		"uuid_setvar " + testUUID + " gone",
	})
	if global(L, "a") != "value with spaces" || global(L, "b") != "nil" {
		t.Fatalf("getVariable = %q, %q", global(L, "a"), global(L, "b"))
	}
}

func TestSessionHangupAndTransfer(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		t1 = session:transfer("1000", "XML", "default")
		r1 = session:ready()
		p, perr = session:streamFile("x.wav")
		v = session:setVariable("x", "1")
		h = session:hangup("user_busy")
		r2 = session:ready()
		h2, herr = session:hangup()
	`)
	execs, apis := call.recorded()
	if len(execs) != 0 {
		t.Fatalf("execs after transfer: %q", execs)
	}
	assertList(t, "apis", apis, []string{
		"uuid_transfer " + testUUID + " 1000 XML default",
		"uuid_setvar " + testUUID + " x '1'",
		"uuid_kill " + testUUID + " USER_BUSY",
	})
	want := map[string]string{"t1": "1", "r1": "false", "p": "nil", "perr": "transferred",
		"v": "true", "h": "true", "r2": "false", "h2": "nil", "herr": "hangup"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestSessionFlushDigits(t *testing.T) {
	call := newFakeCall()
	call.events <- dtmf("5")
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `session:flushDigits(); d, err = session:waitForDtmf(1)`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{"uuid_flush_dtmf " + testUUID})
	if global(L, "d") != "nil" {
		t.Fatalf("digit after flush: %s", global(L, "d"))
	}
}

func TestSessionWaitForEventAndState(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		ans := esl.NewEvent("CHANNEL_ANSWER")
		ans.Add("Answer-State", "answered")
		call.events <- ans
		br := esl.NewEvent("CHANNEL_BRIDGE")
		br.Add("Channel-State", "CS_EXCHANGE_MEDIA")
		call.events <- br
		return completion(app, arg, "_none_"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		before = session:answered()
		session:answer()
		ev = session:waitForEvent("CHANNEL_BRIDGE", 1000)
		evname = ev:name()
		answered, bridged = session:answered(), session:bridged()
		state = session:getState()
		uuid, uuid2 = session.uuid, session:get_uuid()
	`)
	want := map[string]string{"before": "false", "evname": "CHANNEL_BRIDGE", "answered": "true",
		"bridged": "true", "state": "CS_EXCHANGE_MEDIA", "uuid": testUUID, "uuid2": testUUID}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestSessionWaitTimeout(t *testing.T) {
	call, clk := newFakeCall(), newFakeClock()
	L := sessionState(t, &testEnv{Clock: clk}, call)
	done := make(chan error, 1)
	go func() { done <- L.DoString(`d, err = session:waitForDtmf(500)`) }()
	clk.awaitAfter(t, 1)
	clk.Advance(500 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if global(L, "d") != "nil" || global(L, "err") != "timeout" {
		t.Fatalf("got %s, %s", global(L, "d"), global(L, "err"))
	}
}

func TestSessionHangupHook(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		calls = 0
		hook_arg = "extra"
		function on_hangup(s, why, arg)
			calls = calls + 1
			reason, got_arg, same = why, arg, s == session
		end
		session:setHangupHook("on_hangup", "hook_arg")
	`)
	call.hangup("NORMAL_CLEARING")
	run(t, L, `r = session:ready(); session:ready()`)
	want := map[string]string{"calls": "1", "reason": "hangup", "got_arg": "extra", "same": "true", "r": "false"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestSessionHangupHookExitAborts(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `function h() return "exit" end; session:setHangupHook("h")`)
	call.hangup("NORMAL_CLEARING")
	if err := L.DoString(`session:ready(); after = true`); err == nil {
		t.Fatal("hook returning exit did not abort the script")
	}
	if global(L, "after") != "nil" {
		t.Fatal("script went on after exit")
	}
}

func TestSessionTimersRunWhileBlocked(t *testing.T) {
	call, q := newFakeCall(), NewQueue(8)
	fired := make(chan struct{})
	call.onExec = func(ctx context.Context, app, arg string) (*esl.Event, error) {
		select { // the playback only ends once the timer callback ran
		case <-fired:
			return completion(app, arg, "FILE PLAYED"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(5 * time.Second):
			return nil, context.DeadlineExceeded
		}
	}
	L := sessionState(t, &testEnv{Loop: q}, call)
	L.SetGlobal("signal", L.NewFunction(func(*lua.LState) int { close(fired); return 0 }))
	run(t, L, `
		require("timer").after(1, function() signal() end)
		r = session:streamFile("long.wav")
	`)
	if global(L, "r") != "1" {
		t.Fatalf("streamFile = %s", global(L, "r"))
	}
}

func TestSessionContextCancel(t *testing.T) {
	call := newFakeCall()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	L := sessionState(t, &testEnv{Context: func() context.Context { return ctx }}, call)
	run(t, L, `d, err = session:waitForDtmf()`)
	if global(L, "d") != "nil" || global(L, "err") != "context canceled" {
		t.Fatalf("got %s, %s", global(L, "d"), global(L, "err"))
	}
}

// A CHANNEL_STATE CS_ROUTING made before the call reached the socket
// (Event-Sequence below the connect reply's), delivered late as
// FreeSWITCH's event queue does under load, is not a transfer; one made
// after it is.
func TestSessionIgnoresStateFromBeforeTheConnect(t *testing.T) {
	routing := func(seq string) *esl.Event {
		ev := esl.NewEvent("CHANNEL_STATE")
		ev.Add("Unique-ID", testUUID)
		ev.Add("Channel-State", "CS_ROUTING")
		ev.Add("Event-Sequence", seq)
		return ev
	}
	call := newFakeCall()
	call.data.Add("Event-Sequence", "983")
	call.events <- routing("976")
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `session:sleep(1); r1 = session:ready(); p1, e1 = session:streamFile("x.wav")`)
	call.events <- routing("990")
	run(t, L, `session:sleep(1); r2 = session:ready(); p2, e2 = session:streamFile("x.wav")`)
	want := map[string]string{"r1": "true", "e1": "nil", "r2": "false", "p2": "nil", "e2": "transferred"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}
