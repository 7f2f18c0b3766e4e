package bindings

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// TestSessionAgainstSimulator drives a real outbound esl.Session (through
// WrapSession) connected to the FreeSWITCH simulator.
func TestSessionAgainstSimulator(t *testing.T) {
	// FreeSWITCH's park (the async socket) dequeues every digit as a DTMF event.
	sim := esltest.New(t, esltest.Options{ParkConsumesDTMF: true})
	results := make(chan map[string]string, 1)
	addr := serveSessions(t, func(ctx context.Context, s *esl.Session) {
		results <- runSessionScript(ctx, s)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{DTMF: "12#"})
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	select {
	case got = <-results:
	case <-ctx.Done():
		t.Fatal("script did not finish")
	}
	want := map[string]string{"answered": "true", "g": "hello world", "d": "12", "r": "false",
		"a": "nil", "err": "hangup", "error": ""}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	// the simulator hangs up a uuid_kill'ed call just after its reply
	if err := call.WaitHangup(ctx); err != nil {
		t.Errorf("call still up after session:hangup(): %v", err)
	}
}

func runSessionScript(ctx context.Context, s *esl.Session) map[string]string {
	L := lua.NewState()
	defer L.Close()
	env := &testEnv{Context: func() context.Context { return ctx }}
	L.SetGlobal("session", NewSession(L, env.runtime(), WrapSession(s, nil)))
	out := map[string]string{"error": ""}
	if err := L.DoString(`
		session:answer()
		answered = session:answered()
		session:setVariable("greeting", "hello world")
		g = session:getVariable("greeting")
		session:streamFile("silence_stream://100")
		d = session:getDigits(5, "#", 2000)
		session:hangup()
		r = session:ready()
		a, err = session:answer()
	`); err != nil {
		out["error"] = err.Error()
	}
	for _, k := range []string{"answered", "g", "d", "r", "a", "err"} {
		out[k] = L.GetGlobal(k).String()
	}
	return out
}
