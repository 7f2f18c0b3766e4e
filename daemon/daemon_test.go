package daemon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl/esltest"
)

const answerScript = `return { session = function(s) s:answer() s:hangup() end }`

// waitScript answers, waits for a digit and hangs up.
const waitScript = `return { session = function(s)
  s:answer()
  s:playAndGetDigits(1, 1, 1, 60000, "#", "silence_stream://100", "", "\\d")
  s:hangup()
end }`

// Two daemons in one process keep their own metrics, admin endpoint and
// listeners: a call into one counts there only, and shutting one down
// leaves the other serving.
func TestTwoDaemonsKeepTheirOwnState(t *testing.T) {
	t.Parallel()
	simA := esltest.New(t, esltest.Options{Password: "pw-a", Hostname: "a"})
	simB := esltest.New(t, esltest.Options{Password: "pw-b", Hostname: "b"})
	a := startTest(t, testConfig(t, simA, map[string]string{"ivr.lua": answerScript}, "ivr", nil), Options{})
	b := startTest(t, testConfig(t, simB, map[string]string{"ivr.lua": answerScript}, "ivr", nil), Options{})
	if a.Metrics() == b.Metrics() || a.Addr("default").String() == b.Addr("default").String() {
		t.Fatal("the daemons share metrics or a listener")
	}
	c := call(t, simA, a)
	waitDone(t, c.Done(), "the call into a")
	const started = `eslscript_sessions_started_total{listener="default",script="ivr"}`
	waitFor(t, "a's admin endpoint to count the call", func() bool {
		return metricLine(adminGet(t, a, "/metrics"), started) == started+" 1"
	})
	if l := metricLine(adminGet(t, b, "/metrics"), started); l != "" {
		t.Errorf("b counts a's call: %q", l)
	}
	if st := adminGet(t, b, "/status"); !strings.Contains(st, b.Addr("default").String()) || strings.Contains(st, a.Addr("default").String()) {
		t.Errorf("b's /status does not describe b:\n%s", st)
	}
	if err := a.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	c = call(t, simB, b)
	waitDone(t, c.Done(), "the call into b")
	if !c.Answered() {
		t.Errorf("b did not answer after a stopped: %s", c.HangupCause())
	}
}

// Shutdown drains: no new call is accepted, a live call runs on until
// its script ends it, and only then do the components stop.
func TestShutdownDrainsThenStopsComponents(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	cfg := testConfig(t, sim, map[string]string{"ivr.lua": waitScript}, "ivr", map[string]string{"drain-timeout": "30s"})
	var live *esltest.Call
	var upAtStop bool
	stopped := make(chan struct{})
	comp := func(context.Context, *Daemon) (func(context.Context) error, error) {
		return func(context.Context) error { upAtStop = live.Up(); close(stopped); return nil }, nil
	}
	d := startTest(t, cfg, Options{Components: []Component{comp}})
	live = call(t, sim, d)
	waitAnswered(t, live)
	if code, body := adminDo(t, d, "/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz before the drain: %d %s", code, body)
	}
	addr := d.Addr("default").String()
	done := make(chan error, 1)
	go func() { done <- d.Shutdown(context.Background()) }()
	waitFor(t, "the listener to close", func() bool {
		_, err := sim.Dial(context.Background(), addr, sim.NewCall(esltest.CallOptions{}), esltest.DialOptions{Async: true, Full: true})
		return err != nil
	})
	if code, body := adminDo(t, d, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: %d %s", code, body)
	}
	select {
	case <-stopped:
		t.Fatal("the components stopped before the live call ended")
	case <-live.Done():
		t.Fatalf("the live call was cut: %s", live.HangupCause())
	default:
	}
	live.SendDTMF("1") // the script's wait ends: it hangs up
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitDone(t, live.Done(), "the drained call")
	if cause := live.HangupCause(); cause != "NORMAL_CLEARING" {
		t.Errorf("hangup cause %q, want the script's NORMAL_CLEARING", cause)
	}
	waitDone(t, stopped, "the component")
	if upAtStop {
		t.Error("the component stopped while the call was still up")
	}
}

// A drain that outlasts ctx hangs the live calls up with drain.cause.
func TestShutdownHangsUpWhenCut(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	d := startTest(t, testConfig(t, sim, map[string]string{"ivr.lua": waitScript}, "ivr", nil), Options{})
	live := call(t, sim, d)
	waitAnswered(t, live)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	waitDone(t, live.Done(), "the cut call")
	if cause := live.HangupCause(); cause != config.DefaultDrainCause {
		t.Errorf("hangup cause %q, want %q", cause, config.DefaultDrainCause)
	}
}

// Components start in order once the nodes are connected and stop in
// reverse order; a failing one fails Start and stops those started.
func TestComponentsStartInOrderAndUnwind(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	cfg := testConfig(t, sim, map[string]string{"ivr.lua": answerScript}, "ivr", nil)
	var events []string
	comp := func(name string, fail bool) Component {
		return func(_ context.Context, d *Daemon) (func(context.Context) error, error) {
			if len(d.Host().Status().Nodes) != 1 {
				t.Errorf("%s started before the node was added", name)
			}
			if fail {
				return nil, errors.New("no")
			}
			events = append(events, "start "+name)
			return func(context.Context) error { events = append(events, "stop "+name); return nil }, nil
		}
	}
	_, err := Start(context.Background(), cfg, Options{Logger: discard(), Components: []Component{comp("x", false), comp("y", false), comp("z", true)}})
	if err == nil || !strings.Contains(err.Error(), "no") {
		t.Fatalf("Start error = %v", err)
	}
	if got := strings.Join(events, ", "); got != "start x, start y, stop y, stop x" {
		t.Errorf("events: %s", got)
	}
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
