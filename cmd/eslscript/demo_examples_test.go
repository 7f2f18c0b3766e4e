package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRunSimulateExamples runs the README's first command on the shipped
// example scripts and checks that each example visibly does its job.
func TestRunSimulateExamples(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	dir := filepath.Join("..", "..", "scripts", "examples")
	if code := p.run(t, 20*time.Second, "run", "--simulate", dir); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	out, errOut := p.stdout.String(), p.stderr.String()
	for _, want := range []string{
		"script ivr, uuid ", "  transferred to 2000\n", // the caller pressed 1: sales
		"script after_hours, uuid ",
		"fired event click2call::request\n",
		"script mod_lua/ivr, uuid ", "  app playback ivr/thank_you.wav\n",
		"demo done: 3 calls\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, re := range []string{
		`msg=routing script=ivr .* ext=2000`,
		`msg=("open: to the queue"|closed) script=after_hours .* schedule="09:00-17:00 mon-fri"`,
		`msg="click-to-call started" script=click_to_call .* agent=1000 customer=5551234 uuid=\S+`,
		`msg="call record" script=call_logger .* cdr="\{.*\\"destination\\":\\"2000\\"`,
	} {
		if !regexp.MustCompile(re).MatchString(errOut) {
			t.Errorf("stderr lacks %s:\n%s", re, errOut)
		}
	}
}
