package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl/esltest"
)

// testConfig is the configuration of a daemon on the scripts of files
// (name -> source) with one node (sim), one listener "default" on a free
// loopback port routing to script and the admin endpoint on a free port;
// extra flags override.
func testConfig(t *testing.T, sim *esltest.Server, files map[string]string, script string, extra map[string]string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flags := map[string]string{"scripts": dir, "fs-address": sim.Addr(), "listen": "127.0.0.1:0",
		"script": script, "admin": "127.0.0.1:0"}
	for k, v := range extra {
		flags[k] = v
	}
	env := map[string]string{"ESLSCRIPT_FS_PASSWORD": sim.Password()}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := config.Load(config.Options{Lookup: lookup, Flags: flags})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Resolve(lookup, os.ReadFile); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startTest starts a daemon and shuts it down at the end of the test.
func startTest(t *testing.T, cfg *config.Config, opts Options) *Daemon {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(&addrLog{})
	}
	d, err := Start(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Shutdown(context.Background()) })
	return d
}

// call places a call into the daemon's listener and returns it.
func call(t *testing.T, sim *esltest.Server, d *Daemon) *esltest.Call {
	t.Helper()
	c := sim.NewCall(esltest.CallOptions{})
	if _, err := sim.Dial(context.Background(), d.Addr("default").String(), c, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitDone waits for ch to close.
func waitDone(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not end", what)
	}
}

// waitAnswered waits until c is answered.
func waitAnswered(t *testing.T, c *esltest.Call) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitAnswered(ctx); err != nil {
		t.Fatalf("the call was not answered: %v", err)
	}
}

// adminGet returns the body of GET path on the daemon's admin endpoint.
func adminGet(t *testing.T, d *Daemon, path string) string {
	t.Helper()
	_, body := adminDo(t, d, path)
	return body
}

// adminDo returns the status code and body of GET path on the daemon's
// admin endpoint.
func adminDo(t *testing.T, d *Daemon, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + d.Logger().Handler().(*addrLog).admin() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// metricLine returns the line of the metrics text that starts with
// prefix, or "".
func metricLine(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// addrLog is a log handler that keeps the address of the admin endpoint
// the daemon logs ("eslscript: admin endpoint listening").
type addrLog struct {
	mu   sync.Mutex
	addr string
}

func (*addrLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *addrLog) WithAttrs([]slog.Attr) slog.Handler     { return l }
func (l *addrLog) WithGroup(string) slog.Handler          { return l }

func (l *addrLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "eslscript: admin endpoint listening" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "address" {
			l.mu.Lock()
			l.addr = a.Value.String()
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

func (l *addrLog) admin() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr
}

// discard is a logger that drops everything.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
