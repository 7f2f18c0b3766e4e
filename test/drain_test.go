package test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

const sleepingIVR = `local log = require("log")
return {
  session = function(session)
    session:answer()
    log.info("sleeping")
    session:execute("sleep", "60000")
    log.info("cleanup", { ready = session:ready() })
  end,
}
`

// SIGTERM with --drain-timeout 300ms: the binary stops accepting calls,
// cuts off a call blocked in a 60 s sleep with SYSTEM_SHUTDOWN once the
// drain timeout passed, lets the script's cleanup run, and exits 0.
func TestSIGTERMDrainHangsUpBlockedCall(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{}) // real time: the sleep really lasts 60 s
	d := startDaemon(t, sim, secret, writeScripts(t, map[string]string{"ivr.lua": sleepingIVR}), "--drain-timeout", "300ms")
	call := d.dial(t, sim, esltest.CallOptions{})
	if _, err := call.WaitExecuting(ctxFor(t), "sleep"); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	d.signal(syscall.SIGTERM)
	d.waitLog("drain start", msg("eslscript: draining", "signal", "terminated"))
	refusesNewCalls(t, sim, d.listen)
	if cause := waitHangup(t, call); cause != "SYSTEM_SHUTDOWN" {
		t.Fatalf("hangup cause %q, want SYSTEM_SHUTDOWN", cause)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("call hung up %v after SIGTERM, before the 300ms drain timeout", took)
	}
	if code := d.waitExit(5 * time.Second); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0", code)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("exit took %v after SIGTERM with a 300ms drain timeout", took)
	}
	// The interrupted sleep completes (as in FreeSWITCH), then the
	// script's cleanup sees the call down.
	d.waitLog("cleanup", msg("cleanup", "call", call.UUID(), "ready", "false"))
}

// refusesNewCalls checks that a call dialled into addr now is not served:
// the connection is refused, or closed without any application run.
func refusesNewCalls(t *testing.T, sim *esltest.Server, addr string) {
	t.Helper()
	late := sim.NewCall(esltest.CallOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := sim.Dial(ctx, addr, late, esltest.DialOptions{Async: true, Full: true})
	if err != nil {
		return // refused
	}
	select {
	case <-conn.Done():
	case <-ctx.Done():
		t.Fatal("a call dialled during the drain was kept open")
	}
	if got := apps(late); len(got) != 0 {
		t.Fatalf("a call dialled during the drain ran %q", got)
	}
}
