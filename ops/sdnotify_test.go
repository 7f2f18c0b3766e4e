package ops

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// listenNotify opens a unixgram socket like systemd's notify socket.
func listenNotify(t *testing.T) (*net.UnixConn, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

func TestNotifierSendsState(t *testing.T) {
	sock, path := listenNotify(t)
	n, err := NewNotifier(envOf(map[string]string{"NOTIFY_SOCKET": path}), 42)
	if err != nil || !n.Enabled() {
		t.Fatalf("NewNotifier: %v, enabled %v", err, n.Enabled())
	}
	if err := n.Notify("READY=1\nSTATUS=serving"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 256)
	_ = sock.SetReadDeadline(time.Now().Add(5 * time.Second))
	k, err := sock.Read(buf)
	if err != nil || string(buf[:k]) != "READY=1\nSTATUS=serving" {
		t.Fatalf("got %q, %v", buf[:k], err)
	}
}

func TestNotifierWithoutSystemd(t *testing.T) {
	n, err := NewNotifier(envOf(nil), 42)
	if err != nil || n.Enabled() || n.Notify("READY=1") != nil || n.Watchdog() != 0 {
		t.Fatalf("want a silent no-op notifier, got %+v, %v", n, err)
	}
	if _, err := NewNotifier(envOf(map[string]string{"NOTIFY_SOCKET": "relative"}), 1); !errors.Is(err, ErrNotifySocket) {
		t.Fatalf("relative socket path: %v", err)
	}
}

func TestNotifierWatchdogPeriod(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want time.Duration
	}{
		{map[string]string{"WATCHDOG_USEC": "30000000"}, 30 * time.Second},
		{map[string]string{"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"}, 30 * time.Second},
		{map[string]string{"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, 0}, // meant for another process
		{map[string]string{"WATCHDOG_USEC": "junk"}, 0},
	}
	for _, c := range cases {
		c.env["NOTIFY_SOCKET"] = "@eslscript-test"
		n, err := NewNotifier(envOf(c.env), 42)
		if err != nil || n.Watchdog() != c.want {
			t.Errorf("%v: watchdog %v, %v; want %v", c.env, n.Watchdog(), err, c.want)
		}
	}
}

func TestReloadingCarriesMonotonicTime(t *testing.T) {
	msg := Reloading()
	if !strings.HasPrefix(msg, "RELOADING=1\nMONOTONIC_USEC=") || strings.HasSuffix(msg, "=0") {
		t.Fatalf("Reloading() = %q", msg)
	}
}
