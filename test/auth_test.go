package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// A wrong ESL password makes `eslscript run` fail at start with exit code
// 1 and a message that names the failed authentication, without printing
// either password.
func TestWrongPasswordFailsWithoutLeakingIt(t *testing.T) {
	t.Parallel()
	sim, right := newSim(t, esltest.Options{})
	wrong := newSecret()
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	p := startBin(t, wrong, []string{"ESL_PASSWORD=" + wrong}, daemonArgs(sim, dir)...)
	if code := p.waitExit(waitLong); code != 1 {
		t.Fatalf("exit code %d with a wrong password, want 1", code)
	}
	out := p.stdout.String() + p.stderr.String()
	if !strings.Contains(strings.ToLower(out), "auth") {
		t.Fatalf("the failure does not mention authentication:\n%s", out)
	}
	if strings.Contains(out, right) {
		t.Fatal("the simulator's password appears in the output")
	}
}
