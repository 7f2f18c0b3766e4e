package ops

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
)

// fakeSource is a Source whose answers the test sets.
type fakeSource struct {
	mu        sync.Mutex
	st        host.Status
	reloadErr error
	reloads   int
}

func (f *fakeSource) Status() host.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakeSource) Reload() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	if f.reloadErr == nil {
		f.st.Generation++
	}
	return f.reloadErr
}

func (f *fakeSource) setNode(state esl.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st.Nodes = []host.NodeStatus{{Name: "fs1", State: state}}
}

func newFake() *fakeSource {
	return &fakeSource{st: host.Status{
		Generation: 1,
		Scripts:    []host.ScriptStatus{{Name: "menu", Session: true, LiveCalls: 2}, {Name: "cdr", Events: []string{"CHANNEL_HANGUP"}}},
		Nodes:      []host.NodeStatus{{Name: "fs1", State: esl.StateConnected}},
	}}
}

func TestAllowListRefusesOutsiders(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	a := NewAdmin(AdminOptions{Source: newFake(), Metrics: m, Allow: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}})
	cases := map[string]int{
		"10.1.2.3:5555":          http.StatusOK,
		"[::ffff:10.1.2.3]:5555": http.StatusOK,
		"10.2.0.1:5555":          http.StatusForbidden,
		"127.0.0.1:5555":         http.StatusForbidden,
		"[2001:db8::1]:80":       http.StatusForbidden,
		"not-an-address":         http.StatusForbidden,
	}
	for remote, code := range cases {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Host = "127.0.0.1"
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", "10.1.2.3")
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, req)
		if rec.Code != code {
			t.Errorf("%s: status %d, want %d", remote, rec.Code, code)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Host = "127.0.0.1"
	req.RemoteAddr = "10.1.0.9:1"
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	want(t, parseSamples(t, rec.Body.String()), "eslscript_admin_refused_total", 4)
}

func TestAllowListDefaultsToLoopback(t *testing.T) {
	a := NewAdmin(AdminOptions{Source: newFake()})
	get(t, a.Handler(), "/healthz", http.StatusOK) // from 127.0.0.1
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Host = "127.0.0.1"
	req.RemoteAddr = "192.0.2.7:1234"
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d from a non-loopback client with no allow-list, want 403", rec.Code)
	}
}

func TestReadyzNamesFailingCheck(t *testing.T) {
	src := newFake()
	a := NewAdmin(AdminOptions{Source: src, Checks: append([]Check{ScriptsLoaded(src)}, NodeChecks(src, "fs1")...)})
	get(t, a.Handler(), "/readyz", http.StatusOK)

	src.setNode(esl.StateReconnecting)
	var body readyBody
	decode(t, get(t, a.Handler(), "/readyz", http.StatusServiceUnavailable), &body)
	if body.Ready || len(body.Failed) != 1 || body.Failed[0] != "node:fs1" {
		t.Fatalf("readyz body %+v, want only node:fs1 failing", body)
	}
	if !strings.Contains(body.Checks[2].Error, "reconnecting") {
		t.Errorf("node check error %q does not say the state", body.Checks[2].Error)
	}
	get(t, a.Handler(), "/healthz", http.StatusOK) // liveness is not readiness

	src.setNode(esl.StateConnected)
	get(t, a.Handler(), "/readyz", http.StatusOK)
	a.SetDraining()
	decode(t, get(t, a.Handler(), "/readyz", http.StatusServiceUnavailable), &body)
	if body.Failed[0] != "draining" {
		t.Fatalf("failed %v, want draining", body.Failed)
	}
}

func TestReloadEndpoint(t *testing.T) {
	src := newFake()
	a := NewAdmin(AdminOptions{Source: src})
	get(t, a.Handler(), "/reload", http.StatusMethodNotAllowed)
	var res ReloadResult
	decode(t, do(t, a.Handler(), http.MethodPost, "/reload", "", http.StatusOK), &res)
	if !res.OK || res.Generation != 2 {
		t.Fatalf("reload result %+v, want ok at generation 2", res)
	}
	src.reloadErr = &host.LoadError{File: "scripts/menu.lua", Line: 7, Msg: "unexpected symbol"}
	decode(t, do(t, a.Handler(), http.MethodPost, "/reload", "", http.StatusUnprocessableEntity), &res)
	if res.OK || res.File != "scripts/menu.lua" || res.Line != 7 || !strings.Contains(res.Error, "unexpected symbol") {
		t.Fatalf("failed reload result %+v", res)
	}
	var st StatusBody
	decode(t, get(t, a.Handler(), "/status", http.StatusOK), &st)
	if st.LastReload == nil || st.LastReload.OK || st.Generation != 2 {
		t.Fatalf("status after failed reload: %+v", st)
	}
}

func TestStatusBody(t *testing.T) {
	a := NewAdmin(AdminOptions{Source: newFake()})
	var st StatusBody
	decode(t, get(t, a.Handler(), "/status", http.StatusOK), &st)
	if st.Generation != 1 || st.LiveCalls != 2 || len(st.Scripts) != 2 || st.Scripts[0].LiveCalls != 2 {
		t.Fatalf("status %+v", st)
	}
	if len(st.Nodes) != 1 || st.Nodes[0].State != "connected" {
		t.Fatalf("nodes %+v", st.Nodes)
	}
}

func TestLogLevelRuntime(t *testing.T) {
	var lv slog.LevelVar
	a := NewAdmin(AdminOptions{Source: newFake(), Level: &lv})
	var b levelBody
	decode(t, get(t, a.Handler(), "/loglevel", http.StatusOK), &b)
	if b.Level != "info" {
		t.Fatalf("level %q, want info", b.Level)
	}
	do(t, a.Handler(), http.MethodPut, "/loglevel", `{"level":"debug"}`, http.StatusOK)
	if lv.Level() != slog.LevelDebug {
		t.Fatalf("level var %v after PUT debug", lv.Level())
	}
	do(t, a.Handler(), http.MethodPut, "/loglevel", `{"level":"loud"}`, http.StatusBadRequest)
	do(t, a.Handler(), http.MethodPut, "/loglevel", `not json`, http.StatusBadRequest)
	if lv.Level() != slog.LevelDebug {
		t.Fatalf("a bad PUT changed the level to %v", lv.Level())
	}
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("bad JSON %v:\n%s", err, body)
	}
}
