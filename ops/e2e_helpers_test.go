package ops

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// teeHandler sends every record to all of its handlers.
type teeHandler []slog.Handler

func (t teeHandler) Enabled(context.Context, slog.Level) bool { return true }

func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range t {
		_ = h.Handle(ctx, r.Clone())
	}
	return nil
}

func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (t teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithGroup(name)
	}
	return out
}

// rig is a host with metrics and an admin endpoint, consuming one
// simulated FreeSWITCH ("fs1") through a reconnecting client.
type rig struct {
	sim        *esltest.Server
	h          *host.Host
	client     *esl.Client
	m          *Metrics
	admin      *Admin
	url        string // admin base URL on a real loopback listener
	dir        string // scripts directory
	text, json *syncBuffer
	log        *slog.Logger
}

type rigOptions struct {
	password string
	scripts  map[string]string
	noRedact bool // test the product without the last-line scrubbing
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	r := &rig{text: &syncBuffer{}, json: &syncBuffer{}, m: NewMetrics(MetricsOptions{NoProcessMetrics: true})}
	var handler slog.Handler = teeHandler{
		slog.NewTextHandler(r.text, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewJSONHandler(r.json, &slog.HandlerOptions{Level: slog.LevelDebug}),
	}
	red := NewRedactor(o.password)
	if !o.noRedact {
		handler = RedactHandler(handler, red)
	}
	r.log = slog.New(handler)
	r.sim = esltest.New(t, esltest.Options{Password: o.password, TimeScale: 0.001,
		Logf: func(f string, args ...any) { r.log.Debug("sim: " + sprintf(f, args...)) }})
	r.dir = writeScripts(t, o.scripts)
	r.h = startTestHost(t, r.dir, r.log, r.m)
	r.client = dialNode(t, r.sim, o.password, r.m, r.log)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := r.h.AddNode(ctx, "fs1", r.client); err != nil {
		t.Fatal(err)
	}
	r.m.WatchLuaStates(HostLuaStates(r.h))
	r.admin = NewAdmin(AdminOptions{
		Source: r.h, Metrics: r.m, Redactor: red, Logger: r.log,
		Checks: append([]Check{ScriptsLoaded(r.h)}, NodeChecks(r.h, "fs1")...),
	})
	r.url = serveAdmin(t, r.admin)
	return r
}

func writeScripts(t *testing.T, scripts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func startTestHost(t *testing.T, dir string, log *slog.Logger, m *Metrics) *host.Host {
	t.Helper()
	h, err := host.New(host.Options{ScriptsDir: dir, Logger: log, Observer: m, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	m.SetGeneration(h.Status().Generation)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = h.Shutdown(ctx)
	})
	return h
}

func dialNode(t *testing.T, sim *esltest.Server, password string, m *Metrics, log *slog.Logger) *esl.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{
		Password: password, Node: "fs1", Reconnect: true,
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond,
		OnState: m.OnState, Logger: log.With("node", "fs1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// serveAdmin serves a on a loopback port until the test ends.
func serveAdmin(t *testing.T, a *Admin) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("admin Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// fetch GETs the admin path and returns the status code and body.
func (r *rig) fetch(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(r.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sample scrapes /metrics over HTTP and returns one sample (-1 if absent).
func (r *rig) sample(t *testing.T, key string) float64 {
	t.Helper()
	_, body := r.fetch(t, "/metrics")
	if v, ok := parseSamples(t, body)[key]; ok {
		return v
	}
	return -1
}

// serve starts an outbound listener and returns its address.
func (r *rig) serve(t *testing.T, lo host.ListenerOptions) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = r.h.ServeOutbound(ctx, ln, lo) }()
	return ln.Addr().String()
}

// call places a simulated call into addr.
func (r *rig) call(t *testing.T, addr string) *esltest.Call {
	t.Helper()
	call := r.sim.NewCall(esltest.CallOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := r.sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	return call
}

func sprintf(f string, args ...any) string { return fmt.Sprintf(f, args...) }
