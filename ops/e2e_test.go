package ops

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/host"
)

const (
	beatScript = `local log = require("log")
return { events = { HEARTBEAT = function(ev) log.info("heartbeat seen") end } }
`
	quickScript = `return { session = function(s) s:answer() end }
`
	// holdScript keeps its call until the call hangs up.
	holdScript = `return { session = function(s) s:answer(); s:sleep(10000000) end }
`
)

var e2eScripts = map[string]string{"beat.lua": beatScript, "quick.lua": quickScript, "hold.lua": holdScript}

// waitSample polls /metrics until key has value v.
func (r *rig) waitSample(t *testing.T, key string, v float64) {
	t.Helper()
	pollUntil(t, key+" = "+sprintf("%v", v), func() bool { return r.sample(t, key) == v })
}

func TestEndToEndEventMetrics(t *testing.T) {
	r := newRig(t, rigOptions{password: "ClueCon", scripts: e2eScripts})
	for range 3 {
		r.sim.Heartbeat()
	}
	r.waitSample(t, `eslscript_handler_calls_total{handler="HEARTBEAT",script="beat"}`, 3)
	s := scrapeURL(t, r)
	want(t, s, `eslscript_events_dispatched_total{script="beat"}`, 3)
	want(t, s, `eslscript_handler_errors_total{handler="HEARTBEAT",script="beat"}`, 0)
	want(t, s, `eslscript_handler_duration_seconds_count{handler="HEARTBEAT",script="beat"}`, 3)
	want(t, s, `eslscript_node_up{node="fs1"}`, 1)
	want(t, s, `eslscript_generation`, 1)
	if s[`eslscript_events_received_total{node="fs1"}`] < 3 || s[`eslscript_dispatch_lag_seconds_count`] < 3 {
		t.Errorf("received %v events, lag observed %v times; want at least 3",
			s[`eslscript_events_received_total{node="fs1"}`], s[`eslscript_dispatch_lag_seconds_count`])
	}
	if !strings.Contains(r.text.String(), "heartbeat seen") {
		t.Error("script log line missing")
	}
}

func TestEndToEndSessionsCapAndAllowList(t *testing.T) {
	r := newRig(t, rigOptions{password: "ClueCon", scripts: e2eScripts})
	quick := r.serve(t, host.ListenerOptions{Name: "quick", Script: "quick"})
	hold := r.serve(t, host.ListenerOptions{Name: "hold", Script: "hold", MaxCalls: 1})
	fenced := r.serve(t, host.ListenerOptions{Name: "fenced", Script: "quick", Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})

	r.call(t, quick)
	r.waitSample(t, `eslscript_sessions_ended_total{cause="ok",listener="quick",script="quick"}`, 1)

	first := r.call(t, hold)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := first.WaitExecuting(ctx, "sleep"); err != nil {
		t.Fatal(err)
	}
	r.waitSample(t, `eslscript_sessions_active{listener="hold",script="hold"}`, 1)
	r.call(t, hold)
	r.waitSample(t, `eslscript_sessions_rejected_total{listener="hold",reason="max_calls"}`, 1)
	if st := r.admin.Status(); st.LiveCalls != 1 {
		t.Errorf("status live_calls = %d, want 1", st.LiveCalls)
	}

	r.call(t, fenced)
	r.waitSample(t, `eslscript_sessions_rejected_total{listener="fenced",reason="not_allowed"}`, 1)

	r.sim.API("uuid_kill " + first.UUID())
	r.waitSample(t, `eslscript_sessions_active{listener="hold",script="hold"}`, 0)
	if v := r.sample(t, `eslscript_sessions_started_total{listener="hold",script="hold"}`); v != 1 {
		t.Errorf("hold sessions started = %v, want 1 (the refused call must not start)", v)
	}
	if v := r.sample(t, `eslscript_lua_states{script="quick"}`); v < 0 {
		t.Error("eslscript_lua_states{script=quick} missing")
	}
}

func TestEndToEndCommandsAndReload(t *testing.T) {
	r := newRig(t, rigOptions{password: "ClueCon", scripts: e2eScripts})
	c := Commander("fs1", r.client, r.m, nil)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := c.API(ctx, "status"); err != nil {
		t.Fatal(err)
	}
	_, _ = c.API(ctx, "no_such_command 1234-uuid")
	s := scrapeURL(t, r)
	want(t, s, `eslscript_command_duration_seconds_count{command="status",node="fs1"}`, 1)
	want(t, s, `eslscript_command_duration_seconds_count{command="other",node="fs1"}`, 1)

	dir := r.dir
	if err := os.WriteFile(filepath.Join(dir, "extra.lua"), []byte(quickScript), 0o644); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(r.url+"/reload", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /reload: %d", resp.StatusCode)
	}
	s = scrapeURL(t, r)
	want(t, s, `eslscript_reloads_total{result="ok"}`, 1)
	want(t, s, `eslscript_generation`, 2)

	if err := os.WriteFile(filepath.Join(dir, "broken.lua"), []byte("return {"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.admin.Reload(); err == nil {
		t.Fatal("reload of a broken script succeeded")
	}
	want(t, scrapeURL(t, r), `eslscript_reloads_total{result="failed"}`, 1)
	code, body := r.fetch(t, "/status")
	if code != http.StatusOK || !strings.Contains(body, "broken.lua") {
		t.Fatalf("/status (%d) does not name the broken script:\n%s", code, body)
	}
}

func TestReadinessFollowsFreeSWITCH(t *testing.T) {
	r := newRig(t, rigOptions{password: "ClueCon", scripts: e2eScripts})
	if code, body := r.fetch(t, "/readyz"); code != http.StatusOK {
		t.Fatalf("readyz %d before any outage:\n%s", code, body)
	}
	r.sim.Stop()
	var body readyBody
	pollUntil(t, "readyz fails on node:fs1", func() bool {
		code, b := r.fetch(t, "/readyz")
		return code == http.StatusServiceUnavailable && json.Unmarshal([]byte(b), &body) == nil &&
			len(body.Failed) == 1 && body.Failed[0] == "node:fs1"
	})
	if code, _ := r.fetch(t, "/healthz"); code != http.StatusOK {
		t.Errorf("healthz %d while FreeSWITCH is away", code)
	}
	want(t, scrapeURL(t, r), `eslscript_node_up{node="fs1"}`, 0)
	if err := r.sim.Start(); err != nil {
		t.Fatal(err)
	}
	pollUntil(t, "readyz passes again", func() bool { code, _ := r.fetch(t, "/readyz"); return code == http.StatusOK })
	r.waitSample(t, `eslscript_node_reconnects_total{node="fs1"}`, 1)
}

func TestDrainHangsUpAndFailsReadiness(t *testing.T) {
	r := newRig(t, rigOptions{password: "ClueCon", scripts: e2eScripts})
	addr := r.serve(t, host.ListenerOptions{Name: "hold", Script: "hold"})
	call := r.call(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := call.WaitExecuting(ctx, "sleep"); err != nil {
		t.Fatal(err)
	}
	r.admin.SetDraining()
	if code, body := r.fetch(t, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"draining"`) {
		t.Fatalf("readyz while draining: %d\n%s", code, body)
	}
	dctx, dcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer dcancel()
	_ = r.h.Shutdown(dctx)
	if err := call.WaitHangup(ctx); err != nil {
		t.Fatal(err)
	}
	if got := call.HangupCause(); got != host.DefaultDrainCause {
		t.Errorf("drained call hung up with %q, want %q", got, host.DefaultDrainCause)
	}
	r.waitSample(t, `eslscript_sessions_active{listener="hold",script="hold"}`, 0)
}

// scrapeURL scrapes the rig's /metrics over HTTP.
func scrapeURL(t *testing.T, r *rig) map[string]float64 {
	t.Helper()
	code, body := r.fetch(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	return parseSamples(t, body)
}
