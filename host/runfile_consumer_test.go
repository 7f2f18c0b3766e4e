package host

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// subRecorder is a node connection that records the Go-side
// subscriptions made on it. It embeds the client, so Events (the
// remembered wire subscription) is used.
type subRecorder struct {
	*esl.Client
	mu   sync.Mutex
	subs []*esl.Subscription
}

func (r *subRecorder) Subscribe(opts esl.SubscribeOptions) *esl.Subscription {
	s := r.Client.Subscribe(opts)
	r.mu.Lock()
	r.subs = append(r.subs, s)
	r.mu.Unlock()
	return s
}

func (r *subRecorder) list() []*esl.Subscription {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*esl.Subscription(nil), r.subs...)
}

// sendOnly offers only the Commander methods and Subscribe: bind goes
// through Send(EventCmd).
type sendOnly struct {
	bindings.Commander
	rec *subRecorder
}

func (s sendOnly) Subscribe(opts esl.SubscribeOptions) *esl.Subscription {
	return s.rec.Subscribe(opts)
}

// wrapped hides its source behind Unwrap, like a metrics wrapper.
type wrapped struct{ bindings.Commander }

func (w wrapped) Unwrap() bindings.Commander { return w.Commander }

// fileRunResult is the outcome of an asynchronous RunFile.
type fileRunResult struct {
	code int
	err  error
}

// startRunFile runs opts in the background; the result comes on the
// channel.
func startRunFile(ctx context.Context, t *testing.T, opts RunFileOptions) <-chan fileRunResult {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	done := make(chan fileRunResult, 1)
	go func() {
		code, err := RunFile(ctx, opts)
		done <- fileRunResult{code, err}
	}()
	return done
}

// waitRun waits for a background run with a deadline.
func waitRun(t *testing.T, done <-chan fileRunResult) fileRunResult {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(runFileWait):
		t.Fatalf("RunFile did not return within %v", runFileWait)
	}
	return fileRunResult{}
}

// waitSubscribed waits until the simulator has a wire subscription to
// name ("CUSTOM sub::class" for a subclass).
func waitSubscribed(t *testing.T, sim *esltest.Server, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runFileWait)
	defer cancel()
	for _, n := range names {
		if err := sim.WaitSubscribed(ctx, n); err != nil {
			t.Fatalf("waiting for the script's subscription: %v", err)
		}
	}
}

// firePing fires CUSTOM ops::ping with header Ping-Seq: seq.
func firePing(sim *esltest.Server, subclass string, seq int) {
	ev := sim.CustomEvent(subclass)
	ev.Add("Ping-Seq", strconv.Itoa(seq))
	sim.Fire(ev)
}

// consumerCtx is a context bounded by runFileWait for the test's life.
func consumerCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), runFileWait)
	t.Cleanup(cancel)
	return ctx
}

// waitClosed waits until every subscription's channel is closed.
func waitClosed(t *testing.T, subs []*esl.Subscription) {
	t.Helper()
	deadline := time.After(runFileWait)
	for i, s := range subs {
		for open := true; open; {
			select {
			case _, open = <-s.C:
			case <-deadline:
				t.Fatalf("subscription %d still open after the run", i)
			}
		}
	}
}

const luarunScript = `local con = freeswitch.EventConsumer()
assert(con:bind("CUSTOM", "ops::ping") == true)
assert(con:bind("no_such_event") == false)
local n = 0
while n < 3 do
  local ev = con:pop(1, 2000)
  if ev then
    n = n + 1
    print(ev:getType(), ev:getHeader("Event-Subclass"), ev:getHeader("Ping-Seq"))
  end
end
con:cleanup()
print("pop after cleanup", con:pop(0))
return 7
`

// A luarun-style service: bind, loop on pop(1, timeout), stop after 3.
func TestRunFileConsumerLuarun(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	rec := &subRecorder{Client: c}
	out := &syncBuffer{}
	dir := writeTree(t, map[string]string{"svc.lua": luarunScript})
	done := startRunFile(context.Background(), t, RunFileOptions{File: filepath.Join(dir, "svc.lua"),
		Stdout: out, Nodes: map[string]bindings.Commander{"fs1": rec}})
	waitSubscribed(t, sim, "CUSTOM ops::ping")
	firePing(sim, "ops::other", 0) // not bound: never popped
	for i := 1; i <= 3; i++ {
		firePing(sim, "ops::ping", i)
	}
	r := waitRun(t, done)
	want := "CUSTOM\tops::ping\t1\nCUSTOM\tops::ping\t2\nCUSTOM\tops::ping\t3\npop after cleanup\tnil\n"
	if r.err != nil || r.code != 7 || out.String() != want {
		t.Fatalf("code %d, err %v, printed %q, want %q", r.code, r.err, out.String(), want)
	}
	cmd, err := sim.WaitCommand(consumerCtx(t), "event plain CUSTOM")
	if err != nil || cmd.Line != "event plain CUSTOM ops::ping" {
		t.Errorf("event command %q (%v), want %q", cmd.Line, err, "event plain CUSTOM ops::ping")
	}
	if subs := rec.list(); len(subs) != 1 {
		t.Fatalf("%d subscriptions, want 1", len(subs))
	}
	waitClosed(t, rec.list())
}

// pop(0) returns nil at once on an empty queue; pop(1, 100) waits about
// 100 ms, then returns nil.
func TestRunFileConsumerPopEmpty(t *testing.T) {
	t.Parallel()
	_, c := dialSim(t, esltest.Options{})
	dir := writeTree(t, map[string]string{"empty.lua": `local con = freeswitch.EventConsumer("CUSTOM", "ops::ping")
print(con:pop(0), con:pop(), con:pop(1, 100))
`})
	start := time.Now()
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "empty.lua"), Nodes: map[string]bindings.Commander{"fs1": c}})
	if err != nil || out != "nil\tnil\tnil\n" {
		t.Fatalf("err %v, printed %q", err, out)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("pop(1, 100) returned after %v, before its timeout", d)
	}
}

const answerScript = `local answers = freeswitch.EventConsumer("CHANNEL_ANSWER")
local pings = freeswitch.EventConsumer("custom", "ops::ping")
local p = pings:pop(1, 5000)
print("pings", p and p:getHeader("Ping-Seq"))
local a = answers:pop(1, 5000)
print("answers", a and a:getType())
print("more", answers:pop(0), pings:pop(0))
`

// A consumer bound to CHANNEL_ANSWER gets no CUSTOM events: events reach
// every subscription in wire order, so the ping (fired first) would be
// the first answer popped if the filter let it through.
func TestRunFileConsumerFiltersByName(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	out := &syncBuffer{}
	dir := writeTree(t, map[string]string{"two.lua": answerScript})
	done := startRunFile(context.Background(), t, RunFileOptions{File: filepath.Join(dir, "two.lua"),
		Stdout: out, Nodes: map[string]bindings.Commander{"fs1": c}})
	waitSubscribed(t, sim, "CHANNEL_ANSWER", "CUSTOM ops::ping")
	firePing(sim, "ops::ping", 1)
	sim.Fire(sim.NewEvent("CHANNEL_ANSWER"))
	r := waitRun(t, done)
	want := "pings\t1\nanswers\tCHANNEL_ANSWER\nmore\tnil\tnil\n"
	if r.err != nil || out.String() != want {
		t.Fatalf("err %v, printed %q, want %q", r.err, out.String(), want)
	}
}

// Through a wrapper (Unwrap) and a source without Events, bind sends
// "event plain" with Send; the subscription ends with the run even
// without cleanup.
func TestRunFileConsumerUnwrapAndClose(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	rec := &subRecorder{Client: c}
	node := wrapped{sendOnly{Commander: c, rec: rec}}
	dir := writeTree(t, map[string]string{"w.lua": `local con = freeswitch.EventConsumer("HEARTBEAT")
local ev = con:pop(1, 5000)
print(ev and ev:getType())
`})
	out := &syncBuffer{}
	done := startRunFile(context.Background(), t, RunFileOptions{File: filepath.Join(dir, "w.lua"),
		Stdout: out, Nodes: map[string]bindings.Commander{"fs1": node}})
	waitSubscribed(t, sim, "HEARTBEAT")
	sim.Heartbeat()
	if r := waitRun(t, done); r.err != nil || out.String() != "HEARTBEAT\n" {
		t.Fatalf("err %v, printed %q", r.err, out.String())
	}
	if _, err := sim.WaitCommand(consumerCtx(t), "event plain HEARTBEAT"); err != nil {
		t.Error(err)
	}
	subs := rec.list()
	if len(subs) != 1 {
		t.Fatalf("%d subscriptions, want 1", len(subs))
	}
	waitClosed(t, subs)
}

// A full queue drops the newest events and logs it once.
func TestRunFileConsumerQueueLen(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	logs := &syncBuffer{}
	dir := writeTree(t, map[string]string{"q.lua": `local con = freeswitch.EventConsumer("CUSTOM", "ops::ping", 2)
local ctl = freeswitch.EventConsumer("CUSTOM", "ops::done")
assert(ctl:pop(1, 5000))
local a, b, c = con:pop(0), con:pop(0), con:pop(0)
print(a:getHeader("Ping-Seq"), b:getHeader("Ping-Seq"), c)
`})
	out := &syncBuffer{}
	done := startRunFile(context.Background(), t, RunFileOptions{File: filepath.Join(dir, "q.lua"), Stdout: out,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Nodes: map[string]bindings.Commander{"fs1": c}})
	waitSubscribed(t, sim, "CUSTOM ops::ping", "CUSTOM ops::done")
	for i := 1; i <= 5; i++ {
		firePing(sim, "ops::ping", i)
	}
	firePing(sim, "ops::done", 0)
	if r := waitRun(t, done); r.err != nil || out.String() != "1\t2\tnil\n" {
		t.Fatalf("err %v, printed %q", r.err, out.String())
	}
	if n := strings.Count(logs.String(), "queue full"); n != 1 || !strings.Contains(logs.String(), "dropped=3") {
		t.Errorf("drop logged %d times: %s", n, logs.String())
	}
}

// exec --timeout (RunFile's Timeout) and SIGINT (ctx) stop a script
// blocked in pop(1), and its subscription ends.
func TestRunFileConsumerTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"block.lua": `local con = freeswitch.EventConsumer("CUSTOM", "ops::never")
print("waiting")
con:pop(1)
print("after")
`})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		_, c := dialSim(t, esltest.Options{})
		rec := &subRecorder{Client: c}
		start := time.Now()
		_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "block.lua"), Timeout: 150 * time.Millisecond,
			Nodes: map[string]bindings.Commander{"fs1": rec}})
		var re *RunError
		if !errors.As(err, &re) || !errors.Is(err, context.DeadlineExceeded) || out != "waiting\n" {
			t.Fatalf("err %v, printed %q", err, out)
		}
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Errorf("stopped after %v, before the timeout", d)
		}
		waitClosed(t, rec.list())
	})
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		sim, c := dialSim(t, esltest.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := startRunFile(ctx, t, RunFileOptions{File: filepath.Join(dir, "block.lua"), Stdout: &syncBuffer{},
			Nodes: map[string]bindings.Commander{"fs1": c}})
		waitSubscribed(t, sim, "CUSTOM ops::never")
		cancel()
		if r := waitRun(t, done); !errors.Is(r.err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", r.err)
		}
	})
}

// Without a node, or with one that cannot stream events, EventConsumer
// raises and says why.
func TestRunFileConsumerNoSource(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"x.lua": `freeswitch.EventConsumer("ALL")`})
	for name, nodes := range map[string]map[string]bindings.Commander{
		"no FreeSWITCH connection":                  nil,
		"no FreeSWITCH connection to stream events": {"fs1": apiOnly{}},
	} {
		_, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "x.lua"), Nodes: nodes})
		if err == nil || !strings.Contains(err.Error(), "freeswitch.EventConsumer is not supported by eslscript here") ||
			!strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// apiOnly is a Commander that cannot stream events.
type apiOnly struct{}

func (apiOnly) Send(context.Context, esl.Command) (*esl.Reply, error) {
	return nil, errors.New("host: test: no send")
}
func (apiOnly) API(context.Context, string) (string, error) { return "", nil }
func (apiOnly) BgAPI(context.Context, string) (*esl.Job, error) {
	return nil, errors.New("host: test: no bgapi")
}
