package bindings

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

func TestClassifyInput(t *testing.T) {
	for _, c := range []struct {
		ret  string
		file bool
		want inputAction
	}{
		{"", true, inputContinue}, {"true", false, inputContinue}, {"undefined", true, inputContinue},
		{"seek:+1000", true, inputFileOp}, {"SPEED:-1", true, inputFileOp}, {"volume:+2", true, inputFileOp},
		{"pause", true, inputFileOp}, {"restart", true, inputFileOp}, {"truncate", true, inputTruncate},
		{"stop", true, inputStop}, {"break", true, inputStop}, {"0", false, inputStop},
		{"false", true, inputStop}, {"seek:+1000", false, inputStop}, {"truncate", false, inputStop},
		{"TRUE", false, inputStop},
	} {
		if got := classifyInput(c.ret, c.file); got != c.want {
			t.Errorf("classifyInput(%q, %v) = %d, want %d", c.ret, c.file, got, c.want)
		}
	}
}

// scriptedApp answers the first execute with CHANNEL_EXECUTE, then the
// events of before, waits for an api command (or gives up after 5 s),
// then sends after and completes.
func scriptedApp(call *fakeCall, before, after []*esl.Event) chan string {
	apis := make(chan string, 8)
	call.onAPI = func(cmd string) (string, error) { apis <- cmd; return "+OK", nil }
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		call.events <- appEvent("CHANNEL_EXECUTE", app)
		for _, ev := range before {
			call.events <- ev
		}
		select {
		case cmd := <-apis:
			apis <- cmd
		case <-time.After(5 * time.Second):
		}
		for _, ev := range after {
			call.events <- ev
		}
		done := appEvent("CHANNEL_EXECUTE_COMPLETE", app)
		call.events <- done
		return done, nil
	}
	return apis
}

// TestInputCallbackArgsAndLeftovers: the 4th argument is absent without
// an arg name and is the named global (the same table) with one; the
// duration is a number; after "break" the digits the app dequeued stay
// queued: the next callback media call hands them to the callback first
// (the "3" of a.wav), and getDigits gets what is left after that.
func TestInputCallbackArgsAndLeftovers(t *testing.T) {
	call := newFakeCall()
	scriptedApp(call, []*esl.Event{dtmf("1"), dtmf("2"), dtmf("3")}, nil)
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		ctx = {calls = 0}
		function cb(s, kind, input, ...)
			local arg = ...
			nargs, dur = select("#", ...), input.duration
			if arg then arg.calls = arg.calls + 1 end
			if input.digit == "2" then return "break" end
		end
		session:setInputCallback("cb")
		session:streamFile("a.wav")
		bare = nargs
		session:setInputCallback("cb", "ctx")
		session:streamFile("b.wav")
		calls, durtype = ctx.calls, type(dur)
		left = session:getDigits(5, "", 1)
	`)
	for name, want := range map[string]string{"bare": "0", "calls": "3", "durtype": "number", "left": "3"} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

// TestInputBreakWaitsForExecute: a stop decided on a digit read before the
// app's CHANNEL_EXECUTE sends uuid_break only once it runs; a file command
// before that is not sent (no file is open yet).
func TestInputBreakWaitsForExecute(t *testing.T) {
	call := newFakeCall()
	var seenExecute bool
	call.onAPI = func(cmd string) (string, error) {
		call.mu.Lock()
		defer call.mu.Unlock()
		if !seenExecute {
			t.Errorf("%q sent before CHANNEL_EXECUTE", cmd)
		}
		return "+OK", nil
	}
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		call.events <- dtmf("1") // dequeued by park before the app started
		call.events <- dtmf("2")
		time.Sleep(20 * time.Millisecond) // let the host see them first
		call.mu.Lock()
		seenExecute = true
		call.mu.Unlock()
		call.events <- appEvent("CHANNEL_EXECUTE", app)
		call.events <- appEvent("CHANNEL_EXECUTE_COMPLETE", app)
		return completion(app, arg, "FILE PLAYED"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		answers = {"seek:+1", "break"}
		n = 0
		function cb() n = n + 1 return answers[n] end
		session:setInputCallback("cb")
		session:streamFile("a.wav")
	`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{"uuid_break " + testUUID})
}

// TestInputTypeAheadSkipsApp: digits already queued go to the callback
// first; when it stops on them the app is not run at all, and the call
// returns 0 as mod_lua's does after a stop. A media call made inside the
// callback plays without the callback.
func TestInputTypeAheadSkipsApp(t *testing.T) {
	call := newFakeCall()
	call.events <- dtmf("5")
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		function cb(s, kind, input)
			s:streamFile("inner.wav")
			got = input.digit
			return 0
		end
		session:setInputCallback("cb")
		r = session:streamFile("outer.wav")
	`)
	execs, apis := call.recorded()
	assertList(t, "execs", execs, []string{"playback|%[playback_terminators=none]inner.wav"})
	assertList(t, "apis", apis, nil)
	if got, r := global(L, "got"), global(L, "r"); got != "5" || r != "0" {
		t.Errorf("got %s, r %s", got, r)
	}
}

// TestInputTruncate: "truncate" during recordFile sends uuid_fileman
// truncate, then uuid_break.
func TestInputTruncate(t *testing.T) {
	call := newFakeCall()
	scriptedApp(call, []*esl.Event{dtmf("1")}, nil)
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		function cb() return "truncate" end
		session:setInputCallback("cb")
		session:recordFile("/tmp/r.wav", 60)
	`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{"uuid_fileman " + testUUID + " truncate", "uuid_break " + testUUID})
}

// TestCollectDigitsTimeout: the digit timeout restarts after each digit
// and ends the collection when no digit follows.
func TestCollectDigitsTimeout(t *testing.T) {
	call := newFakeCall()
	clock := newFakeClock()
	L := sessionState(t, &testEnv{Clock: clock}, call)
	done := make(chan error, 1)
	go func() {
		done <- L.DoString(`
			got = ""
			function cb(s, kind, input) got = got .. input.digit end
			session:setInputCallback("cb")
			r = session:collectDigits(1000, 0)
		`)
	}()
	clock.awaitAfter(t, 1)
	call.events <- dtmf("4")
	clock.awaitAfter(t, 1) // the timer restarts after each digit
	clock.Advance(999 * time.Millisecond)
	call.events <- dtmf("2")
	clock.awaitAfter(t, 1)
	clock.Advance(999 * time.Millisecond) // 1998 ms after the start
	call.events <- dtmf("7")
	clock.awaitAfter(t, 1)
	clock.Advance(1000 * time.Millisecond)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("collectDigits did not time out")
	}
	if got, r := global(L, "got"), global(L, "r"); got != "427" || r != "0" {
		t.Errorf("got %q, r %s", got, r)
	}
}

// TestInputCallbackMediaMethods: every callback-taking method hands a
// queued digit to the callback (which stops it before its app runs);
// getDigits, playAndGetDigits and execute do not call it.
func TestInputCallbackMediaMethods(t *testing.T) {
	for _, code := range []string{
		`session:sleep(1000)`, `session:say("12", "en", "number", "pronounced")`,
		`session:sayPhrase("hello")`, `session:set_tts_params("flite", "kal") session:speak("hi")`,
		`session:recordFile("/tmp/r.wav")`, `session:streamFile("a.wav")`, `session:collectDigits(1000)`,
	} {
		call := newFakeCall()
		call.events <- dtmf("5")
		L := sessionState(t, &testEnv{}, call)
		run(t, L, `
			function cb(s, kind, input) got = kind .. input.digit return "break" end
			session:setInputCallback("cb")
			`+code)
		if execs, _ := call.recorded(); global(L, "got") != "dtmf5" || len(execs) != 0 {
			t.Errorf("%s: got %s, execs %q", code, global(L, "got"), execs)
		}
	}
	call := newFakeCall()
	call.events <- dtmf("5")
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		function cb() got = "called" return "break" end
		session:setInputCallback("cb")
		session:execute("info")
		d = session:playAndGetDigits(1, 1, 1, 1000, "#", "p.wav", "", "")
		session:getDigits(1, "", 10)
	`)
	if got, d := global(L, "got"), global(L, "d"); got != "nil" || d != "5" {
		t.Errorf("callback ran outside media calls: got %s, d %s", got, d)
	}
}
