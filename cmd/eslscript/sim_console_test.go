package main

import (
	"context"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// The console's commands act on the newest live call or the one named,
// and anything else runs as an api command.
func TestSimConsoleCommands(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{TimeScale: 0.01})
	sc := &simConsole{sim: sim}
	ctx := context.Background()
	if got := sc.do(ctx, "calls"); got != "no live calls\n" {
		t.Errorf("calls: %q", got)
	}
	if got := sc.do(ctx, "dtmf 1"); !strings.HasPrefix(got, "usage: dtmf") {
		t.Errorf("dtmf without a call: %q", got)
	}
	older := sim.NewCall(esltest.CallOptions{})
	newer := sim.NewCall(esltest.CallOptions{})
	if got := sc.do(ctx, "dtmf 12"); got != "call "+newer.UUID()+": caller pressed 12\n" || newer.PendingDTMF() != "12" {
		t.Errorf("dtmf: %q, pending %q", got, newer.PendingDTMF())
	}
	if got := sc.do(ctx, "hangup "+older.UUID()+" USER_BUSY"); got != "" || older.HangupCause() != "USER_BUSY" || !newer.Up() {
		t.Errorf("hangup: %q, cause %q", got, older.HangupCause())
	}
	if got := sc.do(ctx, "calls"); got != "call "+newer.UUID()+": "+newer.ChannelName()+" \n" {
		t.Errorf("calls: %q", got)
	}
	if got := sc.do(ctx, "call 127.0.0.1:1 ivr"); !strings.Contains(got, "connection refused") {
		t.Errorf("call to a closed port: %q", got)
	}
	if got := sc.do(ctx, "hash insert/a/b/c"); got != "+OK\n" {
		t.Errorf("api: %q", got)
	}
	if got := sc.do(ctx, "help"); !strings.Contains(got, "call ADDR [SCRIPT]") {
		t.Errorf("help: %q", got)
	}
}
