package bindings

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// What the session object does as mod_lua's does (each checked against
// FreeSWITCH's own mod_lua by the differential suite in test/).

func TestSessionEmptyVariableIsEmptyString(t *testing.T) {
	call := newFakeCall()
	call.onAPI = func(cmd string) (string, error) {
		switch cmd {
		case "uuid_getvar " + testUUID + " rdnis": // set but empty: ESL answers -ERR no reply
			return "", &esl.CommandError{Text: "no reply"}
		case "uuid_getvar " + testUUID + " nope":
			return "_undef_", nil
		}
		return "+OK", nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `empty = session:getVariable("rdnis"); unset = session:getVariable("nope")`)
	if got := global(L, "empty"); got != "" {
		t.Errorf("empty variable = %q, want \"\"", got)
	}
	if got := global(L, "unset"); got != "nil" {
		t.Errorf("unset variable = %q, want nil", got)
	}
}

func TestConsoleLogLevelsAsFreeSWITCH(t *testing.T) {
	for in, want := range map[string]string{"NOTICE": "notice", "err": "err", "error": "debug", "warn": "debug",
		"warning": "warning", "3": "err", "42": "debug", "": "debug", "console": "console"} {
		if got, _ := fsLevel(in); got != want {
			t.Errorf("fsLevel(%q) = %q, want %q", in, got, want)
		}
	}
	lg, buf := capture()
	L := sessionState(t, &testEnv{Logger: lg, Script: "mod_lua/x"}, newFakeCall())
	run(t, L, `session:consoleLog("warning", "from the session\n")`)
	if out := buf.String(); !contains(out, `"msg":"from the session"`) || !contains(out, `"call":"`+testUUID+`"`) ||
		!contains(out, `"fs_level":"warning"`) {
		t.Fatalf("log = %s", out)
	}
}

func TestSessionUUIDAndCauseAsModLua(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	call.hangup("USER_BUSY")
	run(t, L, `uuid = session:get_uuid(); cause = session:hangupCause()`)
	if global(L, "uuid") != testUUID || global(L, "cause") != "NONE" {
		t.Fatalf("uuid %s, cause %s: want the uuid and NONE", global(L, "uuid"), global(L, "cause"))
	}
	dead := NewSession(L, (&testEnv{}).runtime(), newDeadCall("USER_BUSY"))
	L.SetGlobal("dead", dead)
	run(t, L, `duuid, dfield = dead:get_uuid(), dead.uuid`)
	if global(L, "duuid") != "uninitialized" || global(L, "dfield") != "nil" {
		t.Fatalf("a session without a call: get_uuid %s, uuid %s", global(L, "duuid"), global(L, "dfield"))
	}
}

func TestHangupHookAfterBlockingCall(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(ctx context.Context, app, arg string) (*esl.Event, error) {
		call.hangup("NORMAL_CLEARING") // the caller hangs up during the playback
		return nil, esl.ErrHangup
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		function hook(s, why) ran = why; return "bye" end
		session:setHangupHook("hook")
		session:streamFile("x.wav")
		after_stream = ran`)
	if got := global(L, "after_stream"); got != "hangup" {
		t.Fatalf("hook after the media call that saw the hangup: %q, want it run with \"hangup\"", got)
	}
	_, apis := call.recorded()
	if !contains(strings.Join(apis, "\n"), "uuid_setvar "+testUUID+" lua_hangup_hook_return_val 'bye'") {
		t.Fatalf("the hook's result was not stored: %q", apis)
	}
}

func TestHangupHookExitRaisesItsWord(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	err := L.DoString(`
		function hook() return "exit" end
		session:setHangupHook("hook")
		session:hangup()
		reached = true`)
	if err == nil || !strings.Contains(err.Error(), "exit") || global(L, "reached") == "true" {
		t.Fatalf("err = %v, reached %s: want the script ended with \"exit\"", err, global(L, "reached"))
	}
	_, apis := call.recorded()
	if n := len(apis); n == 0 || !strings.HasPrefix(apis[n-1], "uuid_kill "+testUUID) {
		t.Fatalf("the call was not hung up before the hook's exit: %q", apis)
	}
}

func TestExecuteTransferMakesSessionNotReady(t *testing.T) {
	L := sessionState(t, &testEnv{}, newFakeCall())
	run(t, L, `session:execute("transfer", "1000 XML default"); r = session:ready()`)
	if got := global(L, "r"); got != "false" {
		t.Fatalf("ready() after execute(\"transfer\") = %s, want false", got)
	}
}

func TestExecuteKeepsTheDigitsItsAppDequeued(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(ctx context.Context, app, arg string) (*esl.Event, error) {
		ex := esl.NewEvent("CHANNEL_EXECUTE")
		ex.Add("Unique-ID", testUUID)
		ex.Add("Application", app)
		ex.Add("Application-UUID", "app-1")
		call.events <- ex
		call.events <- dtmf("5") // typed during the playback: the app dequeued it
		done := completion(app, arg, "FILE PLAYED")
		done.Add("Application-UUID", "app-1")
		call.events <- done
		call.events <- dtmf("7") // typed after it: type-ahead
		return done, nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `session:execute("playback", "x.wav"); d = session:getDigits(5, "", 50)`)
	if got := global(L, "d"); got != "7" {
		t.Fatalf("getDigits after execute(\"playback\") = %q, want 7 (5 was the playback's)", got)
	}
}

// An event queued to the call (sendevent with its Unique-ID) reaches the
// input callback as "event" when the call asked for it with
// eslscript_divert_events: the socket is told divert_events on once.
func TestInputCallbackGetsQueuedEvents(t *testing.T) {
	for _, divert := range []bool{true, false} {
		call := newFakeCall()
		if divert {
			call.data.Add("variable_"+divertVar, "true")
		}
		call.onExec = func(ctx context.Context, app, arg string) (*esl.Event, error) {
			ev := esl.NewEvent("")
			ev.Del("Event-Name")
			ev.Add("Command", "sendevent CUSTOM")
			ev.Add("Event-Subclass", "x::ping")
			ev.Add("Unique-ID", testUUID)
			call.events <- ev
			<-ctx.Done() // the playback runs until the callback breaks it
			return nil, ctx.Err()
		}
		fc := &fakeCommander{}
		L := sessionState(t, &testEnv{ESL: fc, CallUUID: testUUID, Context: func() context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}}, call)
		_ = L.DoString(`
			function cb(s, kind, obj) got = kind .. " " .. obj:getType() .. " " .. obj:getHeader("Event-Subclass") return "break" end
			session:setInputCallback("cb")
			session:streamFile("long.wav")`)
		wire := strings.Join(fc.wire, "")
		if divert && (global(L, "got") != "event CUSTOM x::ping" || wire != "divert_events on\n\n") {
			t.Errorf("with divert: got %q, sent %q", global(L, "got"), wire)
		}
		if !divert && (global(L, "got") != "nil" || wire != "") {
			t.Errorf("without divert: got %q, sent %q", global(L, "got"), wire)
		}
	}
}

func TestSessionMoreMethods(t *testing.T) {
	L := sessionState(t, &testEnv{}, newFakeCall())
	run(t, L, `
		ok, err = pcall(function() return session:sendEvent(nil) end)
		dtmf = require("freeswitch").DTMF("7").digit
		local st = require("freeswitch").Stream(); st:write("a"); st:raw_write("bcd", 2)
		data = st:get_data()
		session:destroy()
		ready = session:ready()`)
	if global(L, "ok") != "false" || !strings.Contains(global(L, "err"), "session:sendEvent is not supported by eslscript: ") {
		t.Errorf("sendEvent: %s %q", global(L, "ok"), global(L, "err"))
	}
	if global(L, "dtmf") != "7" || global(L, "data") != "abc" || global(L, "ready") != "false" {
		t.Errorf("dtmf %q, stream %q, ready after destroy %s", global(L, "dtmf"), global(L, "data"), global(L, "ready"))
	}
}
