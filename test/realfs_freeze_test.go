package test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// A FreeSWITCH that keeps its sockets open but stops answering (here:
// SIGSTOP) is treated as lost: the daemon logs the loss, scripts get
// eslscript::node_down, /readyz fails; once it answers again the daemon
// reconnects, scripts get node_up and /readyz passes again.
func TestRealFrozenFreeSWITCHIsNoticed(t *testing.T) {
	t.Parallel()
	fs := realfs.StartPrivate(t)
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	admin := "127.0.0.1:" + itoa(port)
	cfg := filepath.Join(t.TempDir(), "eslscript.yaml")
	body := "nodes:\n  - name: fs1\n    address: " + fs.Addr + "\n    liveness: 3s\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startBin(t, fs.Password, []string{"ESL_PASSWORD=" + fs.Password}, "run", "--config", cfg,
		"--scripts", dir, "--admin", admin, "--log-format", "json")
	waitReady(t, admin, http.StatusOK)

	fs.Freeze(t)
	thawed := false
	defer func() {
		if !thawed {
			fs.Thaw(t)
		}
	}()
	p.waitLog("the loss", msg("eslscript: node connection lost", "node", "fs1"))
	p.waitLog("node_down reaching the script", msg("script saw node down", "which", "fs1"))
	waitReady(t, admin, http.StatusServiceUnavailable)

	fs.Thaw(t)
	thawed = true
	p.waitLog("the reconnect", msg("eslscript: node reconnected", "node", "fs1"))
	p.waitLog("node_up reaching the script", func(l logLine) bool {
		return msg("script saw node up", "which", "fs1")(l) && l.str("attempt") != "0"
	})
	waitReady(t, admin, http.StatusOK)
}

// waitReady polls /readyz until it answers want (a deadline bounds it).
func waitReady(t *testing.T, admin string, want int) {
	t.Helper()
	deadline := time.Now().Add(waitReal)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + admin + "/readyz")
		if err == nil {
			last = resp.StatusCode
			resp.Body.Close()
			if last == want {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("/readyz answered %d, want %d", last, want)
}
