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
	digits = session:playAndGetDigits(4, 4, 1, 5000, "#", "silence_stream://100", "", "\\d+")
`

// TestPlayAndGetDigitsTypeAheadCalls runs many simulated calls whose DTMF
// is queued up front: the prompt's playback dequeues it (DTMF events) and
// playAndGetDigits must still see every digit, in order, on every call.
func TestPlayAndGetDigitsTypeAheadCalls(t *testing.T) {
	for _, park := range []bool{false, true} {
		name := map[bool]string{false: "park-keeps-dtmf", true: "park-consumes-dtmf"}[park]
		t.Run(name, func(t *testing.T) {
			sim := esltest.New(t, esltest.Options{TimeScale: 0.01, ParkConsumesDTMF: park})
			got := runTypeAheadCalls(t, sim, 150, 8)
			bad := 0
			for _, d := range got {
				if d != "1234" {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d calls got wrong digits, e.g. %q", bad, len(got), firstBad(got))
			}
		})
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
	L.SetGlobal("session", NewSession(L, env, WrapSession(s)))
	if err := L.DoString(code); err != nil {
		return "error: " + err.Error()
	}
	return L.GetGlobal("digits").String()
}
