package host

import (
	"context"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
)

// recTracer records the sessions it traced and their end causes.
type recTracer struct {
	mu    sync.Mutex
	spans []string
}

func (r *recTracer) StartSession(ctx context.Context, listener, script, uuid string) (context.Context, func(string)) {
	return ctx, func(cause string) {
		r.mu.Lock()
		r.spans = append(r.spans, listener+"/"+script+"/"+cause)
		r.mu.Unlock()
	}
}

func (r *recTracer) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.spans...)
}

// countingCommander records the api commands scripts send through it.
type countingCommander struct {
	bindings.Commander
	node string
	seen chan string
}

func (c countingCommander) API(ctx context.Context, cmd string) (string, error) {
	c.seen <- c.node + ": " + cmd
	return c.Commander.API(ctx, cmd)
}

// TestSessionTracerAndWrapCommander checks the two embedding hooks: each
// outbound call is wrapped in a session span ended with its cause, and the
// esl module's commands go through WrapCommander with the listener's node.
func TestSessionTracerAndWrapCommander(t *testing.T) {
	src := `local esl = require("esl")
return { session = function(s) s:answer(); esl.api("status") end }
`
	tr := &recTracer{}
	seen := make(chan string, 4)
	th := startHost(t, map[string]string{"ivr.lua": src}, Options{
		SessionTracer: tr,
		WrapCommander: func(node string, c bindings.Commander) bindings.Commander {
			return countingCommander{Commander: c, node: node, seen: seen}
		},
	})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr", Node: "fs9"})
	dialCall(t, sim, addr, nil)
	th.obs.waitFor(t, "session end", func() bool { return th.obs.ended["ivr/ok"] == 1 })
	select {
	case got := <-seen:
		if got != "fs9: status" {
			t.Fatalf("wrapped commander saw %q", got)
		}
	default:
		t.Fatal("esl.api did not go through WrapCommander")
	}
	if spans := tr.list(); len(spans) != 1 || spans[0] != "main/ivr/ok" {
		t.Fatalf("session spans %v, want [main/ivr/ok]", spans)
	}
}
