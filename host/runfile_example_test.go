package host

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
)

// The shipped one-shot example rings every number, reports each outcome
// and exits 1 when one failed.
func TestOneShotExampleNotifyCalls(t *testing.T) {
	sim, c := dialSim(t, esltest.Options{})
	sim.FailDial("/5550002", "USER_BUSY")
	code, out, err := runFile(t, RunFileOptions{
		File:     filepath.Join("..", "scripts", "oneshot", "notify_calls.lua"),
		Args:     []string{"5550001", "5550002"},
		Registry: bindings.NewRegistry(),
		Nodes:    map[string]bindings.Commander{"default": c},
	})
	if err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	for _, want := range []string{"5550001\tanswered\t", "5550002\tfailed\tUSER_BUSY\n", "1 notified, 1 failed\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var dialed []string
	for _, cmd := range sim.Commands() {
		if cmd.Name() == "bgapi" && strings.HasPrefix(cmd.Arg(), "originate ") {
			dialed = append(dialed, cmd.Arg())
		}
	}
	if len(dialed) != 2 || !strings.Contains(dialed[0], "sofia/gateway/pstn/5550001 &playback(notify/outage.wav)") {
		t.Fatalf("originates sent: %q", dialed)
	}
}
