package bindings

import (
	"context"
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
	env := &Env{Context: func() context.Context { return ctx }}
	L.SetGlobal("session", NewSession(L, env, WrapSession(s, nil)))
	if err := L.DoString(code); err != nil {
		return "error: " + err.Error()
	}
	return L.GetGlobal("digits").String()
}

// TestPlayAndGetDigitsTypeAheadWindow checks how the ordered event stream
// splits the digits: DTMF events read before the app's CHANNEL_EXECUTE
// (even after the execute was sent) are type-ahead handed back to
// FreeSWITCH in order, those between CHANNEL_EXECUTE and its completion are
// the app's own, and those after the completion are type-ahead again.
func TestPlayAndGetDigitsTypeAheadWindow(t *testing.T) {
	call := newFakeCall()
	injected := make(chan string, 1)
	call.onAPI = func(cmd string) (string, error) { injected <- cmd; return "+OK", nil }
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		if app == "playback" {
			call.events <- dtmf("1") // dequeued by the prompt
			return completion(app, arg, "FILE PLAYED"), nil
		}
		call.events <- dtmf("2") // dequeued by park before the app ran
		call.events <- dtmf("3")
		call.events <- appEvent("CHANNEL_EXECUTE", app)
		select {
		case <-injected:
		case <-time.After(5 * time.Second):
			return nil, context.DeadlineExceeded
		}
		for _, d := range []string{"1", "2", "3"} { // the app reads them
			call.events <- dtmf(d)
		}
		call.events <- appEvent("CHANNEL_EXECUTE_COMPLETE", app)
		call.events <- dtmf("9") // typed after the app, dequeued by park
		return completion(app, arg, "_none_", "eslscript_pagd_digits", "123"), nil
	}
	L := sessionState(t, &Env{}, call)
	run(t, L, `
		session:streamFile("menu.wav")
		d = session:playAndGetDigits(3, 3, 1, 3000, "#", "p.wav", "", "")
		nxt = session:waitForDtmf(1000)
		left, err = session:waitForDtmf(1)
	`)
	_, apis := call.recorded()
	assertList(t, "apis", apis, []string{"uuid_recv_dtmf " + testUUID + " 123"})
	for name, want := range map[string]string{"d": "123", "nxt": "9", "left": "nil", "err": "timeout"} {
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
