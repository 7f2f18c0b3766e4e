package test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// waitText waits until buf holds s, failing the test after d.
func waitText(t *testing.T, buf *syncBuf, s string, d time.Duration) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		text, changed := buf.snapshot()
		if strings.Contains(text, s) {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("no %q within %v in:\n%s", s, d, text)
		}
	}
}

// fs_cli habits against a real FreeSWITCH: `eslscript api` prints the
// reply of one api command (exit 5 on -ERR) and `eslscript events` prints
// the events as they come.
func TestRealCLIApiAndEvents(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	env := []string{"ESL_PASSWORD=" + fs.Password}

	p := startBin(t, fs.Password, env, "api", "--fs-address", fs.Addr, "status")
	if code := p.waitExit(waitLong); code != 0 || !strings.Contains(p.stdout.String(), "is ready") {
		t.Fatalf("api status: exit %d, stdout %q, stderr %q", code, p.stdout, p.stderr)
	}
	p = startBin(t, fs.Password, env, "api", "--fs-address", fs.Addr, "no_such_command_x")
	if code := p.waitExit(waitLong); code != 5 || !strings.HasPrefix(p.stdout.String(), "-ERR") {
		t.Fatalf("api of an unknown command: exit %d, stdout %q", code, p.stdout)
	}

	ev := startBin(t, fs.Password, env, "events", "--fs-address", fs.Addr, "--count", "1", "--json", "CHANNEL_ANSWER")
	waitText(t, ev.stderr, "eslscript: events of node default", waitLong)
	a := fs.Originate(t, "landing", nil)
	defer fs.MustAPI(t, "uuid_kill "+a)
	if code := ev.waitExit(waitLong); code != 0 {
		t.Fatalf("events: exit %d, stderr %q", code, ev.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(ev.stdout.String()), &got); err != nil || got["Event-Name"] != "CHANNEL_ANSWER" {
		t.Fatalf("events printed %q (%v)", ev.stdout, err)
	}
}
