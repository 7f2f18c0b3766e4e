package main

import (
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// notifySocket stands in for systemd's notify socket.
type notifySocket struct {
	t *testing.T
	c *net.UnixConn
}

func listenNotifySocket(t *testing.T) (*notifySocket, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &notifySocket{t: t, c: c}, path
}

// read returns the next message.
func (s *notifySocket) read() string {
	s.t.Helper()
	buf := make([]byte, 512)
	_ = s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := s.c.Read(buf)
	if err != nil {
		s.t.Fatalf("no sd_notify message: %v", err)
	}
	return string(buf[:n])
}

// next returns the next message that is not a watchdog keep-alive;
// watchdog counts the keep-alives skipped.
func (s *notifySocket) next(watchdog *int) string {
	s.t.Helper()
	for {
		if msg := s.read(); msg != "WATCHDOG=1" {
			return msg
		}
		*watchdog++
	}
}

// Under systemd (NOTIFY_SOCKET set) the daemon reports ready, reloading
// and stopping, and feeds the watchdog. Not parallel: it sets the
// process environment.
func TestRunNotifiesSystemd(t *testing.T) {
	sock, path := listenNotifySocket(t)
	t.Setenv("NOTIFY_SOCKET", path)
	t.Setenv("WATCHDOG_USEC", "40000") // a keep-alive every 20 ms
	sim := esltest.New(t, esltest.Options{Password: "pw", TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	p, done, _ := startDaemonProc(t, sim, dir)
	var dogs int
	if msg := sock.next(&dogs); msg != "READY=1\nSTATUS=serving" {
		t.Fatalf("first message %q, want READY=1", msg)
	}
	for range 2 {
		if msg := sock.read(); msg != "WATCHDOG=1" {
			t.Fatalf("unexpected %q while idle, want WATCHDOG=1", msg)
		}
	}
	p.sigs <- syscall.SIGHUP
	if msg := sock.next(&dogs); !strings.HasPrefix(msg, "RELOADING=1\nMONOTONIC_USEC=") {
		t.Fatalf("on SIGHUP got %q, want RELOADING=1", msg)
	}
	if msg := sock.next(&dogs); msg != "READY=1\nSTATUS=serving" {
		t.Fatalf("after the reload got %q, want READY=1", msg)
	}
	p.sigs <- syscall.SIGTERM
	if msg := sock.next(&dogs); msg != "STOPPING=1\nSTATUS=draining" {
		t.Fatalf("on SIGTERM got %q, want STOPPING=1", msg)
	}
	if code := waitExit(t, p, done, 10*time.Second); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
}
