package rediskv_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// tickScript counts its timer's ticks in kv and reports each outcome.
const tickScript = `local kv, rec = require("kv"), require("rec")
return { timers = { tick = { every = 10, fn = function()
  local n, err = kv.incr("ticks")
  rec.put(n and ("ok " .. n) or ("err " .. err))
end } } }
`

// recorder is a Lua module "rec" whose put(s) sends s to a channel.
type recorder chan string

func (r recorder) module() bindings.Module {
	return bindings.Module{Name: "rec", Open: func(L *lua.LState, _ *bindings.Runtime) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{"put": func(L *lua.LState) int {
			select {
			case r <- L.CheckString(1):
			default: // the test stopped reading
			}
			return 0
		}})
	}}
}

// await returns the first recorded value with prefix, failing t after testWait.
func (r recorder) await(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(testWait)
	for {
		select {
		case s := <-r:
			if strings.HasPrefix(s, prefix) {
				return s
			}
		case <-deadline:
			t.Fatalf("nothing starting with %q recorded within %v", prefix, testWait)
		}
	}
}

// startHost runs a host on the scripts in files with kv as its store.
func startHost(t *testing.T, files map[string]string, kv bindings.KV, rec recorder) *host.Host {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	reg := bindings.NewRegistry()
	if err := reg.Add(rec.module()); err != nil {
		t.Fatal(err)
	}
	h, err := host.New(host.Options{ScriptsDir: dir, Registry: reg, KV: kv,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		defer cancel()
		_ = h.Shutdown(ctx)
	})
	return h
}

// TestHostsShareAndSurviveAnOutage runs two hosts on one Redis: their
// timers count into the same key, so no count is seen twice (each host on
// its own store would both see 1, 2, 3...); then Redis stops, the scripts
// get nil, err and both hosts keep running their timers.
func TestHostsShareAndSurviveAnOutage(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	recA, recB := make(recorder, 1024), make(recorder, 1024)
	startHost(t, map[string]string{"tick.lua": tickScript}, newStore(t, srv, "ha:"), recA)
	startHost(t, map[string]string{"tick.lua": tickScript}, newStore(t, srv, "ha:"), recB)
	seen := map[string]string{}
	for range 5 {
		for name, rec := range map[string]recorder{"A": recA, "B": recB} {
			n := rec.await(t, "ok ")
			if other, dup := seen[n]; dup {
				t.Fatalf("host %s and host %s both got %q: not one shared counter", name, other, n)
			}
			seen[n] = name
		}
	}
	srv.Stop()
	for _, rec := range []recorder{recA, recB} {
		if err := rec.await(t, "err "); !strings.Contains(err, "rediskv: redis unavailable") {
			t.Fatalf("a tick during the outage got %q", err)
		}
		rec.await(t, "err ") // and the timer goes on firing
	}
}
