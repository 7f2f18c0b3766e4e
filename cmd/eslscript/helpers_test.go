package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchBuffer is a goroutine-safe buffer whose readers can wait for text.
type watchBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newWatchBuffer() *watchBuffer { return &watchBuffer{changed: make(chan struct{})} }

func (w *watchBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
	return w.buf.Write(p)
}

func (w *watchBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor blocks until the buffer contains s, failing the test after d.
func (w *watchBuffer) waitFor(t *testing.T, s string, d time.Duration) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		found, ch := strings.Contains(w.buf.String(), s), w.changed
		w.mu.Unlock()
		if found {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %q in:\n%s", s, w.String())
		}
	}
}

// testProc is one in-process eslscript invocation.
type testProc struct {
	env            *env
	stdout, stderr *watchBuffer
	sigs           chan os.Signal
}

// newProc returns an environment with the given variables (and nothing
// else) and a signal channel the test controls.
func newProc(vars map[string]string) *testProc {
	p := &testProc{stdout: newWatchBuffer(), stderr: newWatchBuffer(), sigs: make(chan os.Signal, 4)}
	p.env = &env{
		Stdin:  strings.NewReader(""),
		Stdout: p.stdout, Stderr: p.stderr,
		LookupEnv: func(k string) (string, bool) {
			v, ok := vars[k]
			if !ok && k == "ESLSCRIPT_ADMIN" {
				return "off", true // tests run in parallel: no fixed admin port unless asked
			}
			return v, ok
		},
		ReadFile: os.ReadFile,
		Signals:  func(...os.Signal) (<-chan os.Signal, func()) { return p.sigs, func() {} },
	}
	return p
}

// run runs args in-process and returns the exit code, failing after d.
func (p *testProc) run(t *testing.T, d time.Duration, args ...string) int {
	t.Helper()
	done := p.start(args...)
	select {
	case code := <-done:
		return code
	case <-time.After(d):
		t.Fatalf("eslscript %v did not exit within %v\nstdout:\n%s\nstderr:\n%s", args, d, p.stdout, p.stderr)
	}
	return -1
}

// start runs args in the background; the exit code arrives on the channel.
func (p *testProc) start(args ...string) <-chan int {
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), p.env, append([]string{"eslscript"}, args...)) }()
	return done
}

// writeScripts writes name -> content files into a new temp directory.
func writeScripts(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
