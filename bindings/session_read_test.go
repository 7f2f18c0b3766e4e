package bindings

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// TestSessionReadAgainstSimulator runs mod_lua's session:read: the digits
// typed ahead (park dequeued them) are read on the host, no read app
// running for them; the next read runs the simulator's read app with the
// exact argument and gives "" on a timeout.
func TestSessionReadAgainstSimulator(t *testing.T) {
	sim := esltest.New(t, esltest.Options{ParkConsumesDTMF: true, TimeScale: 0.01})
	results := make(chan [2]string, 1)
	addr := serveSessions(t, func(ctx context.Context, s *esl.Session) {
		L := lua.NewState()
		defer L.Close()
		env := &testEnv{Context: func() context.Context { return ctx }}
		L.SetGlobal("session", NewSession(L, env.runtime(), WrapSession(s, nil)))
		err := L.DoString(`session:answer()
			first = session:read(3, 3, "ivr/pin.wav", 3000, "#")
			second = session:read(1, 4, "ivr/again.wav", 1000, "#")`)
		if err != nil {
			results <- [2]string{"error", err.Error()}
			return
		}
		results <- [2]string{L.GetGlobal("first").String(), L.GetGlobal("second").String()}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{DTMF: "123"})
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-results:
		if got != [2]string{"123", ""} {
			t.Fatalf("read results %q, want [123, \"\"] (the second read times out)", got)
		}
	case <-ctx.Done():
		t.Fatal("script did not finish")
	}
	var args []string
	for _, x := range call.Executed() {
		if x.App == "read" {
			args = append(args, x.Args)
		}
	}
	want := "1 4 'ivr/again.wav' " + readVar + " 1000 '#' 0"
	if len(args) != 1 || args[0] != want {
		t.Fatalf("read apps %q, want only the second read's %q", args, want)
	}
}
