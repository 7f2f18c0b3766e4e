package main

import (
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// TestRunScrubsPasswordFromTheFirstLoad: an init function that fails with
// the password in its message, at startup (before any service runs), and
// a node that cannot be reached: neither log line shows the password.
func TestRunScrubsPasswordFromTheFirstLoad(t *testing.T) {
	t.Parallel()
	const pw = "Pw-FirstLoad-NoLeak-2718"
	dir := writeScripts(t, map[string]string{
		"leaky.lua": `return { init = function() error("boom-init: auth ` + pw + ` refused") end, session = function() end }`,
	})
	sim := esltest.New(t, esltest.Options{})
	addr := sim.Addr()
	sim.Close()
	p := newProc(map[string]string{"ESL_PASSWORD": pw})
	code := p.run(t, 20*time.Second, "run", "--fs-address", addr, dir)
	stderr := p.stderr.String()
	if code != exitFailure || !strings.Contains(stderr, "boom-init: auth [redacted] refused") {
		t.Fatalf("exit %d, want %d and the init failure logged, scrubbed; stderr:\n%s", code, exitFailure, stderr)
	}
	if strings.Contains(stderr+p.stdout.String(), pw) {
		t.Errorf("the password leaked:\n%s", stderr)
	}
}
