package test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuf is a growing buffer safe for concurrent use that wakes waiters
// on every write.
type syncBuf struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed and replaced by every Write
}

func newSyncBuf() *syncBuf { return &syncBuf{changed: make(chan struct{})} }

// Write implements io.Writer.
func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, _ := s.b.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return n, nil
}

// snapshot returns the content and a channel closed by the next Write.
func (s *syncBuf) snapshot() (string, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String(), s.changed
}

func (s *syncBuf) String() string {
	text, _ := s.snapshot()
	return text
}

// proc is a running eslscript binary.
type proc struct {
	t              *testing.T
	cmd            *exec.Cmd
	stdout, stderr *syncBuf
	exited         chan struct{}
	code           int // exit code, once exited is closed
}

// startBin starts the binary with args and, as its only environment
// besides PATH and HOME, env ("NAME=value"). On cleanup it kills the
// process if it still runs and fails the test if secret (when not empty)
// appears in its stdout or stderr.
func startBin(t *testing.T, secret string, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	// Tests run in parallel: no fixed admin port unless a test asks for one.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "ESLSCRIPT_ADMIN=off"}, env...)
	p := &proc{t: t, cmd: cmd, stdout: newSyncBuf(), stderr: newSyncBuf(), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting eslscript: %v", err)
	}
	go p.wait()
	t.Cleanup(func() { p.finish(secret) })
	return p
}

// wait records the exit code once the process ended and its output was
// copied.
func (p *proc) wait() {
	err := p.cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		p.code = ee.ExitCode()
	default:
		p.code = -1
	}
	close(p.exited)
}

// finish kills a process still running, checks that secret never appeared
// and shows the output of a failed test.
func (p *proc) finish(secret string) {
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	out, errOut := p.stdout.String(), p.stderr.String()
	if secret != "" && (strings.Contains(out, secret) || strings.Contains(errOut, secret)) {
		p.t.Errorf("the ESL password appears in the binary's output")
	}
	if p.t.Failed() {
		p.t.Logf("eslscript stdout:\n%s\neslscript stderr:\n%s", out, errOut)
	}
}

// signal sends sig to the process.
func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// waitExit waits up to d for the process to exit and returns its code.
func (p *proc) waitExit(d time.Duration) int {
	p.t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(d):
		p.t.Fatalf("eslscript still running %v later", d)
		return 0
	}
}

// stop sends SIGTERM and waits for exit code 0.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	if code := p.waitExit(waitLong); code != 0 {
		p.t.Fatalf("eslscript exited %d after SIGTERM, want 0", code)
	}
}

// logLine is one JSON log line of the binary.
type logLine map[string]any

// str returns a field as text ("" when absent).
func (l logLine) str(key string) string {
	v, ok := l[key]
	if !ok || v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// msg matches lines with message m whose fields have the given values
// (key, value pairs, compared as text).
func msg(m string, kv ...string) func(logLine) bool {
	return func(l logLine) bool {
		if l.str("msg") != m {
			return false
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if l.str(kv[i]) != kv[i+1] {
				return false
			}
		}
		return true
	}
}

// parseLogs returns the JSON lines of text (other lines are skipped).
func parseLogs(text string) []logLine {
	var lines []logLine
	for _, s := range strings.Split(text, "\n") {
		var l logLine
		if json.Unmarshal([]byte(s), &l) == nil && l != nil {
			lines = append(lines, l)
		}
	}
	return lines
}

// logs returns the log lines written so far that match.
func (p *proc) logs(match func(logLine) bool) []logLine {
	var out []logLine
	for _, l := range parseLogs(p.stderr.String()) {
		if match(l) {
			out = append(out, l)
		}
	}
	return out
}

// waitLogs waits until n log lines match and returns them.
func (p *proc) waitLogs(what string, n int, match func(logLine) bool) []logLine {
	p.t.Helper()
	deadline := time.NewTimer(waitLong)
	defer deadline.Stop()
	for {
		text, changed := p.stderr.snapshot()
		if got := matching(text, match); len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-p.exited:
			if got := matching(p.stderr.String(), match); len(got) >= n {
				return got
			}
			p.t.Fatalf("eslscript exited (code %d) before logging %s", p.code, what)
		case <-deadline.C:
			p.t.Fatalf("timed out waiting for the log line %s", what)
		}
	}
}

// waitLog waits for the first log line that matches.
func (p *proc) waitLog(what string, match func(logLine) bool) logLine {
	p.t.Helper()
	return p.waitLogs(what, 1, match)[0]
}

func matching(text string, match func(logLine) bool) []logLine {
	var out []logLine
	for _, l := range parseLogs(text) {
		if match(l) {
			out = append(out, l)
		}
	}
	return out
}
