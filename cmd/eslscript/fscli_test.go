package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// `eslscript api` sends one api command to the configured node and prints
// the reply; FreeSWITCH's -ERR exits 5.
func TestAPICommand(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	sim.HandleAPI("show", func(args string) string { return "reply to show " + args + "\n" })
	vars := map[string]string{"ESL_PASSWORD": "pw", "ESLSCRIPT_FS_ADDRESS": sim.Addr()}
	p := newProc(vars)
	if code := p.run(t, 10*time.Second, "api", "show", "channels"); code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, p.stderr)
	}
	if got := p.stdout.String(); got != "reply to show channels\n" {
		t.Errorf("stdout %q", got)
	}
	p = newProc(vars)
	if code := p.run(t, 10*time.Second, "api", "no_such_command"); code != exitScriptError {
		t.Fatalf("-ERR: exit %d, want %d; stdout %q stderr %s", code, exitScriptError, p.stdout, p.stderr)
	}
	if !strings.HasPrefix(p.stdout.String(), "-ERR") {
		t.Errorf("stdout %q, want FreeSWITCH's -ERR text", p.stdout)
	}
	p = newProc(map[string]string{"ESL_PASSWORD": "wrong", "ESLSCRIPT_FS_ADDRESS": sim.Addr()})
	if code := p.run(t, 10*time.Second, "api", "status"); code != exitAuth {
		t.Errorf("wrong password: exit %d, want %d", code, exitAuth)
	}
	p = newProc(vars)
	if code := p.run(t, 10*time.Second, "api", "--node", "nope", "status"); code != exitUsage || !strings.Contains(p.stderr.String(), "nodes: default") {
		t.Errorf("unknown node: exit %d, stderr %s", code, p.stderr)
	}
}

// `eslscript events` prints the node's events as they come, filtered by
// name and call.
func TestEventsCommand(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	mine, other := sim.NewCall(esltest.CallOptions{}), sim.NewCall(esltest.CallOptions{})
	p := newProc(map[string]string{"ESL_PASSWORD": "pw", "ESLSCRIPT_FS_ADDRESS": sim.Addr()})
	done := p.start("events", "--count", "2", "--uuid", mine.UUID(), "CHANNEL_ANSWER", "DTMF")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sim.WaitSubscribed(ctx, "DTMF"); err != nil {
		t.Fatal(err)
	}
	sim.Fire(sim.ChannelEvent(other, "CHANNEL_ANSWER")) // another call: filtered out
	sim.Fire(sim.ChannelEvent(mine, "CHANNEL_HANGUP"))  // not subscribed
	sim.Fire(sim.ChannelEvent(mine, "CHANNEL_ANSWER"))
	dtmf := sim.ChannelEvent(mine, "DTMF")
	dtmf.Add("DTMF-Digit", "5")
	sim.Fire(dtmf)
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit %d, stderr %s", code, p.stderr)
		}
	case <-ctx.Done():
		t.Fatalf("events did not exit after 2 events; stdout:\n%s", p.stdout)
	}
	lines := strings.Split(strings.TrimSpace(p.stdout.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], " CHANNEL_ANSWER "+mine.UUID()) ||
		!strings.Contains(lines[1], " DTMF "+mine.UUID()) || !strings.Contains(lines[1], "DTMF-Digit=5") {
		t.Errorf("stdout:\n%s", p.stdout)
	}
}
