package ops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// leakyPassword is distinctive so that any appearance is a leak.
const leakyPassword = "Pw-7Xq9-DoNotLeak-31337"

// TestPasswordNeverAppears drives a host and client that use a distinctive
// password through traffic, an outage, a wrong-password login and a
// failed reload, then greps every output channel for it. Secret scrubbing
// (RedactHandler) is off so that the product's own hygiene is tested.
func TestPasswordNeverAppears(t *testing.T) {
	r := newRig(t, rigOptions{password: leakyPassword, scripts: e2eScripts, noRedact: true})
	addr := r.serve(t, host.ListenerOptions{Name: "quick", Script: "quick"})
	r.call(t, addr)
	r.sim.Heartbeat()
	r.waitSample(t, `eslscript_sessions_ended_total{cause="ok",listener="quick",script="quick"}`, 1)

	var outputs []string
	outputs = append(outputs, wrongPasswordErrors(t, r.sim)...)
	r.sim.Stop()
	pollUntil(t, "node down", func() bool { code, _ := r.fetch(t, "/readyz"); return code == http.StatusServiceUnavailable })
	_, ready := r.fetch(t, "/readyz")
	if err := r.sim.Start(); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, "node up", func() bool { code, _ := r.fetch(t, "/readyz"); return code == http.StatusOK })
	for _, p := range []string{"/metrics", "/status", "/healthz", "/loglevel"} {
		_, body := r.fetch(t, p)
		outputs = append(outputs, p+": "+body)
	}
	outputs = append(outputs, "readyz (down): "+ready, "text log: "+r.text.String(), "json log: "+r.json.String())
	for _, out := range outputs {
		if strings.Contains(out, leakyPassword) || strings.Contains(out, "DoNotLeak") {
			t.Errorf("the password leaked into:\n%s", out)
		}
	}
	if !strings.Contains(r.text.String(), "fs1") {
		t.Fatal("the logs captured nothing about the node: the test is not looking at the right output")
	}
}

// wrongPasswordErrors returns the error text of a login with a wrong
// password that contains the real one, in every fmt form.
func wrongPasswordErrors(t *testing.T, sim *esltest.Server) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	var out []string
	_, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: leakyPassword + "-wrong", Node: "fs1", AuthTimeout: time.Second})
	if !errors.Is(err, esl.ErrAuthFailed) {
		t.Fatalf("wrong password: %v, want ErrAuthFailed", err)
	}
	out = append(out, fmt.Sprintf("error: %v / %+v / %#v", err, err, err))
	return out
}

func TestRedactHandlerScrubs(t *testing.T) {
	buf := &syncBuffer{}
	log := newRedactedJSON(buf, "s3cr3t")
	log.Info("login with s3cr3t", "pw", "s3cr3t", "err", errors.New("auth s3cr3t failed"),
		"n", 3, "list", []string{"a", "b"})
	log.With("k", "xs3cr3tx").WithGroup("g").Info("m", "v", "s3cr3t")
	got := buf.String()
	if strings.Contains(got, "s3cr3t") {
		t.Fatalf("secret in log:\n%s", got)
	}
	if !strings.Contains(got, `"list":["a","b"]`) || !strings.Contains(got, `"n":3`) {
		t.Fatalf("values without secrets were altered:\n%s", got)
	}
	if strings.Count(got, Redacted) != 5 {
		t.Fatalf("want 5 redactions:\n%s", got)
	}
}
