package test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// Helpers of the real-server inbound, consumer and operations tests.

// realToken returns a word unique to the test: the tests share one
// FreeSWITCH, so each scopes its events, variables and log lines by it.
func realToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "e2e" + hex.EncodeToString(b)
}

// execReal runs `eslscript exec FLAGS... FILE ARGS...` against fs with the
// script body as FILE (JSON logs on stderr) and returns the running
// process.
func execReal(t *testing.T, fs *realfs.FreeSWITCH, body string, flags []string, args ...string) *proc {
	t.Helper()
	file := filepath.Join(writeScripts(t, map[string]string{"oneshot.lua": body}), "oneshot.lua")
	argv := append([]string{"exec", "--fs-address", fs.Addr, "--log-format", "json", "--timeout", "1m"}, flags...)
	argv = append(append(argv, file), args...)
	return startBin(t, fs.Password, []string{"ESL_PASSWORD=" + fs.Password}, argv...)
}

// idleScript is the default script of a daemon whose scripts under test
// take no calls (a listener's default script must have a session).
const idleScript = "idle"

// withIdle adds idle.lua (a session that returns at once) to files.
func withIdle(files map[string]string) map[string]string {
	files[idleScript+".lua"] = "return { session = function(session) end }\n"
	return files
}

// writeConfigFile writes an eslscript.yaml with body and returns its path.
func writeConfigFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "eslscript.yaml")
	writeFile(t, path, body)
	return path
}

// channelEvents returns the recorded events of the channel uuid whose
// Event-Name is one of names, in the order FreeSWITCH sent them.
func channelEvents(rec *realfs.Recorder, uuid string, names ...string) []realfs.Event {
	return rec.Events(func(ev realfs.Event) bool {
		return ev.Get("Unique-ID") == uuid && slices.Contains(names, ev.Get("Event-Name"))
	})
}

// hangupOf waits for the CHANNEL_HANGUP_COMPLETE of the channel uuid.
func hangupOf(t *testing.T, rec *realfs.Recorder, uuid string) realfs.Event {
	t.Helper()
	return rec.Wait(t, waitReal, "CHANNEL_HANGUP_COMPLETE of "+uuid,
		realfs.Named("CHANNEL_HANGUP_COMPLETE", func(ev realfs.Event) bool { return ev.Get("Unique-ID") == uuid }))
}

// eslTap relays TCP connections from Addr to FreeSWITCH's inbound ESL
// socket, counting them and the Content-Type of each frame FreeSWITCH
// sends: it shows what goes on the wire between the daemon and
// FreeSWITCH (reconnections, the event format).
type eslTap struct {
	Addr string

	mu    sync.Mutex
	conns int
	types map[string]int
}

// newESLTap starts a relay to target, closed with the test.
func newESLTap(t *testing.T, target string) *eslTap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tap := &eslTap{Addr: ln.Addr().String(), types: map[string]int{}}
	var open sync.WaitGroup
	t.Cleanup(func() { ln.Close(); open.Wait() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			open.Add(1)
			go func() { defer open.Done(); tap.relay(c, target) }()
		}
	}()
	return tap
}

// relay copies both ways until either side ends.
func (tap *eslTap) relay(c net.Conn, target string) {
	defer c.Close()
	fs, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer fs.Close()
	tap.mu.Lock()
	tap.conns++
	tap.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(fs, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, io.TeeReader(fs, &frameTypes{tap: tap})); done <- struct{}{} }()
	<-done
}

// connections returns how many connections were relayed so far.
func (tap *eslTap) connections() int {
	tap.mu.Lock()
	defer tap.mu.Unlock()
	return tap.conns
}

// contentTypes counts the frames FreeSWITCH sent, by Content-Type.
func (tap *eslTap) contentTypes() map[string]int {
	tap.mu.Lock()
	defer tap.mu.Unlock()
	return maps.Clone(tap.types)
}

// frameTypes counts "Content-Type: " lines at the start of a line of the
// stream written to it (an event's inner header block has none: plain
// events' bodies are URL-encoded, JSON ones are one line).
type frameTypes struct {
	tap  *eslTap
	line []byte
}

// Write implements io.Writer.
func (f *frameTypes) Write(p []byte) (int, error) {
	for _, c := range p {
		if c != '\n' {
			if len(f.line) < 64 {
				f.line = append(f.line, c)
			}
			continue
		}
		if ct, ok := bytes.CutPrefix(f.line, []byte("Content-Type: ")); ok {
			f.tap.mu.Lock()
			f.tap.types[string(ct)]++
			f.tap.mu.Unlock()
		}
		f.line = f.line[:0]
	}
	return len(p), nil
}

// checkLogKeys fails the test for every JSON log line of p that holds a
// key twice (a JSON reader keeps one of them, silently).
func checkLogKeys(t *testing.T, p *proc) {
	t.Helper()
	for _, line := range strings.Split(p.stderr.String(), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(line))
		seen := map[string]bool{}
		if _, err := dec.Token(); err != nil {
			t.Errorf("log line %s: %v", line, err)
			continue
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				t.Errorf("log line %s: %v", line, err)
				break
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				t.Errorf("log line %s: %v", line, err)
				break
			}
			if key := k.(string); seen[key] {
				t.Errorf("log line with the key %q twice: %s", key, line)
			} else {
				seen[key] = true
			}
		}
	}
}

// waitLogCount waits up to limit until n log lines of p match; it returns
// the matching lines, however many there are then.
func waitLogCount(p *proc, match func(logLine) bool, n int, limit time.Duration) []logLine {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		text, changed := p.stderr.snapshot()
		got := matching(text, match)
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-p.exited:
			return matching(p.stderr.String(), match)
		case <-deadline.C:
			return got
		}
	}
}
