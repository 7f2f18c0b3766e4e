package bindings

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// typeAheadScript plays a prompt, then collects 4 digits that the caller
// queued before the call was even answered.
const typeAheadScript = `
	session:answer()
	session:streamFile("silence_stream://100")
	digits = session:playAndGetDigits(4, 4, 1, 300000, "#", "silence_stream://100", "", "\\d+")
`

// TestPlayAndGetDigitsTypeAheadCalls runs many simulated calls whose DTMF
// is queued up front: the prompt's playback dequeues it (DTMF events) and
// playAndGetDigits must still see every digit, in order, on every call.
// The app's first-digit timeout (300 s simulated, 3 s real) only bounds a
// failing call: the re-injected digits need one host round trip.
func TestPlayAndGetDigitsTypeAheadCalls(t *testing.T) {
	sim := esltest.New(t, esltest.Options{TimeScale: 0.01})
	got := runTypeAheadCalls(t, sim, 120, 6)
	bad := 0
	for _, d := range got {
		if d != "1234" {
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d calls got wrong digits, e.g. %q", bad, len(got), firstBad(got))
	}
}

func firstBad(got []string) string {
	for _, d := range got {
		if d != "1234" {
			return d
		}
	}
	return ""
}

// runTypeAheadCalls dials n calls (conc at a time) with DTMF "1234"
// queued, runs typeAheadScript on each and returns the digits it got.
func runTypeAheadCalls(t *testing.T, sim *esltest.Server, n, conc int) []string {
	t.Helper()
	results := make(chan string, n)
	addr := serveScript(t, func(ctx context.Context, s *esl.Session) {
		results <- runDigitsScript(ctx, s, typeAheadScript)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	for range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			call := sim.NewCall(esltest.CallOptions{DTMF: "1234"})
			if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
				t.Error(err)
				results <- "dial failed"
			}
		})
	}
	wg.Wait()
	got := make([]string, 0, n)
	for range n {
		select {
		case d := <-results:
			got = append(got, d)
		case <-ctx.Done():
			t.Fatalf("only %d of %d scripts finished", len(got), n)
		}
	}
	return got
}

// serveScript runs an outbound esl.Server on a loopback port until the
// test ends and returns its address.
func serveScript(t *testing.T, handler func(context.Context, *esl.Session)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	srv := &esl.Server{Handler: handler}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return ln.Addr().String()
}

// runDigitsScript runs code with `session` bound to s and returns the
// global `digits` (or the script error).
func runDigitsScript(ctx context.Context, s *esl.Session, code string) string {
	L := lua.NewState()
	defer L.Close()
	env := &testEnv{Context: func() context.Context { return ctx }}
	L.SetGlobal("session", NewSession(L, env.runtime(), WrapSession(s, nil)))
	if err := L.DoString(code); err != nil {
		return "error: " + err.Error()
	}
	return L.GetGlobal("digits").String()
}

// TestPlayAndGetDigitsTypeAheadWindow: digits the park dequeued in the
// instant between the execute and the app's start (their DTMF events come
// before its CHANNEL_EXECUTE) are handed back to FreeSWITCH in order,
// marked sensitive so that FreeSWITCH reports them once; those between
// CHANNEL_EXECUTE and its completion are the app's own, and those after
// the completion are type-ahead again.
func TestPlayAndGetDigitsTypeAheadWindow(t *testing.T) {
	call := newFakeCall()
	injected := make(chan string, 3)
	call.onAPI = func(cmd string) (string, error) { injected <- cmd; return "+OK", nil }
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		call.events <- dtmf("2") // dequeued by park before the app ran
		call.events <- dtmf("3")
		call.events <- appEvent("CHANNEL_EXECUTE", app)
		for range 2 { // sensitive_dtmf on, then the digits
			select {
			case <-injected:
			case <-time.After(5 * time.Second):
				return nil, context.DeadlineExceeded
			}
		}
		// the app reads them: sensitive, they fire no DTMF event
		call.events <- appEvent("CHANNEL_EXECUTE_COMPLETE", app)
		call.events <- dtmf("9") // typed after the app, dequeued by park
		return completion(app, arg, "_none_", "eslscript_pagd_digits", "23"), nil
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		d = session:playAndGetDigits(2, 2, 1, 3000, "#", "p.wav", "", "")
		nxt = session:waitForDtmf(1000)
		left, err = session:waitForDtmf(1)
	`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{"uuid_setvar " + testUUID + " sensitive_dtmf true",
		"uuid_recv_dtmf " + testUUID + " 23", "uuid_setvar " + testUUID + " sensitive_dtmf"})
	for name, want := range map[string]string{"d": "23", "nxt": "9", "left": "nil", "err": "timeout"} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// appEvent builds a CHANNEL_EXECUTE[_COMPLETE] event of app.
func appEvent(name, app string) *esl.Event {
	ev := esl.NewEvent(name)
	ev.Add("Unique-ID", testUUID)
	ev.Add("Application", app)
	ev.Add("Application-UUID", "a99-0001")
	return ev
}

// A type-ahead try that fails is judged as play_and_get_digits judges its
// tries: digits that do not match the regex set <var>_invalid, the
// bad-input prompt plays, and the app runs for the tries left; when none
// is left, transfer_on_failure applies.
func TestPlayAndGetDigitsTypeAheadInvalid(t *testing.T) {
	for _, c := range []struct {
		tries    int
		want     string
		execs    []string
		transfer bool
	}{
		{2, "2", []string{"playback|%[playback_terminators=none]menu.wav", "playback|%[playback_terminators=none]bad.wav",
			`play_and_get_digits|1 1 1 1000 '#' 'p.wav' 'bad.wav' 'choice' '^[123]$' 0 'operator XML default'`}, false},
		{1, "", []string{"playback|%[playback_terminators=none]menu.wav", "playback|%[playback_terminators=none]bad.wav"}, true},
	} {
		call := newFakeCall()
		call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
			if arg == scopeNoTerminators+"menu.wav" {
				call.events <- dtmf("7") // typed during the menu
			}
			return completion(app, arg, "_none_", "choice", "2"), nil
		}
		L := sessionState(t, &testEnv{}, call)
		run(t, L, fmt.Sprintf(`
			session:streamFile("menu.wav")
			d = session:playAndGetDigits(1, 1, %d, 1000, "#", "p.wav", "bad.wav", "^[123]$", "choice", 0, "operator XML default")
		`, c.tries))
		execs, apis := call.recorded()
		assertList(t, "execs", execs, c.execs)
		want := []string{"uuid_setvar " + testUUID + " read_result 'success'", "uuid_setvar " + testUUID + " choice_invalid '7'"}
		if c.transfer {
			want = append(want, "uuid_transfer "+testUUID+" operator XML default")
		}
		assertList(t, "apis", apis, want)
		if got := global(L, "d"); got != c.want {
			t.Errorf("tries %d: digits %q, want %q", c.tries, got, c.want)
		}
	}
}
