package host

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
)

// A consumer whose node connection ends for good (the client closed)
// while pop(1, ...) waits: that pop and the next return nil and an error,
// instead of nil at once with nothing to tell a busy loop why.
func TestRunFileConsumerConnectionEnded(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	out := &syncBuffer{}
	dir := writeTree(t, map[string]string{"svc.lua": `local con = freeswitch.EventConsumer("CUSTOM", "ops::ping")
print(con:pop(1, 60000))
print(con:pop(0))
`})
	done := startRunFile(context.Background(), t, RunFileOptions{File: filepath.Join(dir, "svc.lua"),
		Stdout: out, Nodes: map[string]bindings.Commander{"fs1": c}})
	waitSubscribed(t, sim, "CUSTOM ops::ping")
	_ = c.Close()
	r := waitRun(t, done)
	const why = "bindings: EventConsumer: the FreeSWITCH connection ended"
	if want := "nil\t" + why + "\nnil\t" + why + "\n"; r.err != nil || out.String() != want {
		t.Fatalf("err %v, printed %q, want %q", r.err, out.String(), want)
	}
}
