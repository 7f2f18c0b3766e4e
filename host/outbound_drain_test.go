package host

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// A call blocked in an event-locked application (a long sleep) is still
// cut off at drain: the host kills it with uuid_kill instead of a sendmsg
// hangup that would wait for the sleep to end.
func TestShutdownKillsCallBlockedInApp(t *testing.T) {
	script := `return { session = function(s) s:execute("sleep", "60000") end }`
	th := startHost(t, map[string]string{"ivr.lua": script}, Options{HandlerBudget: time.Second})
	sim := esltest.New(t, esltest.Options{}) // real time: the sleep lasts 60 s
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	call := dialCall(t, sim, addr, nil)
	wctx, wcancel := context.WithTimeout(context.Background(), testWait)
	defer wcancel()
	if _, err := call.WaitExecuting(wctx, "sleep"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := th.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Shutdown took %v with a call sleeping", d)
	}
	if err := call.WaitHangup(wctx); err != nil {
		t.Fatal(err)
	}
	if got := call.HangupCause(); got != DefaultDrainCause {
		t.Fatalf("hangup cause %q, want %s", got, DefaultDrainCause)
	}
	if _, err := sim.WaitCommand(wctx, "api uuid_kill "+call.UUID()); err != nil {
		t.Fatalf("no uuid_kill seen: %v", err)
	}
}

// On a socket without "full" FreeSWITCH refuses api: the drain falls back
// to a sendmsg hangup.
func TestShutdownFallsBackToSendmsgHangup(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": fmt.Sprintf(holdScript, "g1", "g1")}, Options{HandlerBudget: time.Second})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	call := sim.NewCall(esltest.CallOptions{})
	wctx, wcancel := context.WithTimeout(context.Background(), testWait)
	defer wcancel()
	if _, err := sim.Dial(wctx, addr, call, esltest.DialOptions{Async: true}); err != nil {
		t.Fatal(err)
	}
	th.rec.waitCount(t, "start", 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := th.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled", err)
	}
	if got := call.HangupCause(); got != DefaultDrainCause {
		t.Fatalf("hangup cause %q, want %s", got, DefaultDrainCause)
	}
	if _, err := sim.WaitCommand(wctx, "api uuid_kill "+call.UUID()); err != nil {
		t.Fatalf("no uuid_kill tried: %v", err)
	}
	if !hasHangupMsg(sim.Commands(), DefaultDrainCause) {
		t.Fatalf("no sendmsg hangup with cause %s was sent", DefaultDrainCause)
	}
}

// hasHangupMsg reports whether a "sendmsg" with call-command hangup and
// the cause is among cmds.
func hasHangupMsg(cmds []esltest.Command, cause string) bool {
	for _, c := range cmds {
		if c.Name() == "sendmsg" && c.Get("call-command") == "hangup" && c.Get("hangup-cause") == cause {
			return true
		}
	}
	return false
}
