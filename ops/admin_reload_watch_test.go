package ops

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/host"
)

// reloadSignal is an Observer that reports every reload attempt.
type reloadSignal struct {
	host.NopObserver
	ch chan bool
}

func (r *reloadSignal) Reload(ok bool, _ uint64) { r.ch <- ok }

// waitReload waits for the next reload attempt and checks its outcome.
func (r *reloadSignal) waitReload(t *testing.T, wantOK bool) {
	t.Helper()
	select {
	case ok := <-r.ch:
		if ok != wantOK {
			t.Fatalf("reload ok = %v, want %v", ok, wantOK)
		}
	case <-time.After(testWait):
		t.Fatal("no reload after saving a script")
	}
}

func TestStatusShowsWatchTriggeredReloads(t *testing.T) {
	const good = "return { events = { CHANNEL_ANSWER = function() end } }\n"
	dir := writeScripts(t, map[string]string{"main.lua": good})
	sig := &reloadSignal{ch: make(chan bool, 8)}
	h, err := host.New(host.Options{ScriptsDir: dir, Observer: sig, WatchDebounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- h.Watch(ctx) }()
	t.Cleanup(func() { shutdownWatched(t, h, cancel, watched) })
	a := NewAdmin(AdminOptions{Source: h})
	save := func(src string) {
		if err := os.WriteFile(filepath.Join(dir, "main.lua"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	save("local x = 1\nlocal y = x +\n")
	sig.waitReload(t, false)
	st := statusOf(t, a)
	if r := st.LastReload; r == nil || r.OK || !strings.HasSuffix(r.File, "main.lua") || r.Line != 2 || !strings.Contains(r.Error, "main.lua:2") {
		t.Fatalf("last_reload after a broken save = %+v, want main.lua:2", r)
	}

	save("return { events = { CHANNEL_HANGUP = function() end } }\n")
	sig.waitReload(t, true)
	st = statusOf(t, a)
	if r := st.LastReload; r == nil || !r.OK || r.Error != "" || r.File != "" || r.Generation != 2 || st.Generation != 2 {
		t.Fatalf("last_reload after the fix = %+v (status generation %d)", r, st.Generation)
	}

	save("return nil\n")
	sig.waitReload(t, false)
	save("return { events = { CHANNEL_HANGUP = function() end } }\n") // the running content again
	pollUntil(t, "restoring the running script clears the error", func() bool {
		r := statusOf(t, a).LastReload
		return r != nil && r.OK && r.Generation == 2
	})
}

func statusOf(t *testing.T, a *Admin) StatusBody {
	t.Helper()
	var st StatusBody
	decode(t, get(t, a.Handler(), "/status", http.StatusOK), &st)
	return st
}

func shutdownWatched(t *testing.T, h *host.Host, stopWatch context.CancelFunc, watched chan error) {
	stopWatch()
	if err := <-watched; err != nil {
		t.Errorf("Watch: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = h.Shutdown(ctx)
}
