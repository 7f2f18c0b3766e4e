package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/ops"
)

// fakeHost is an ops.Source whose reload outcome the test sets.
type fakeHost struct {
	mu  sync.Mutex
	gen uint64
	err error
}

func (f *fakeHost) Status() host.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return host.Status{
		Generation: f.gen,
		Scripts:    []host.ScriptStatus{{Name: "ivr", Session: true, LiveCalls: 3}, {Name: "cdr", Events: []string{"CHANNEL_HANGUP"}}},
		Nodes:      []host.NodeStatus{{Name: "fs1", State: esl.StateConnected, Subscribed: []string{"CHANNEL_HANGUP"}}},
	}
}

func (f *fakeHost) Reload() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.gen++
	}
	return f.err
}

// fakeAdmin serves an admin endpoint for src on loopback and returns its
// host:port.
func fakeAdmin(t *testing.T, src ops.Source, allow ...netip.Prefix) string {
	t.Helper()
	srv := httptest.NewServer(ops.NewAdmin(ops.AdminOptions{Source: src, Allow: allow}).Handler())
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestReloadCommand(t *testing.T) {
	t.Parallel()
	src := &fakeHost{gen: 1}
	addr := fakeAdmin(t, src)
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "reload", "--admin", addr); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if !strings.Contains(p.stdout.String(), "reloaded: generation 2") {
		t.Errorf("stdout: %s", p.stdout)
	}

	src.mu.Lock()
	src.err = &host.LoadError{File: "scripts/ivr.lua", Line: 3, Msg: "unexpected symbol near 'end'"}
	src.mu.Unlock()
	p = newProc(map[string]string{"ESLSCRIPT_ADMIN": addr})
	if code := p.run(t, 10*time.Second, "reload"); code != exitScripts {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitScripts, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "scripts/ivr.lua:3: unexpected symbol") {
		t.Errorf("stderr does not name the broken script:\n%s", p.stderr)
	}
}

func TestAdminCommandsFailClearly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no address", []string{"status"}, exitUsage, "no admin address"},
		{"nobody listening", []string{"reload", "--admin", closedPort(t)}, exitFailure, "cannot reach the admin endpoint"},
		{"refused", []string{"status", "--admin", fakeAdmin(t, &fakeHost{gen: 1}, netip.MustParsePrefix("192.0.2.0/24"))}, exitFailure, "not in admin.allow"},
	}
	for _, c := range cases {
		p := newProc(nil)
		if code := p.run(t, 10*time.Second, c.args...); code != c.code || !strings.Contains(p.stderr.String(), c.msg) {
			t.Errorf("%s: exit %d (want %d), stderr:\n%s", c.name, code, c.code, p.stderr)
		}
	}
}

// closedPort returns a loopback address nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	return addr
}

func TestStatusCommand(t *testing.T) {
	t.Parallel()
	addr := fakeAdmin(t, &fakeHost{gen: 4})
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "status", "--admin", addr); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{"generation 4", "3 live calls", "ivr", "session", "events: CHANNEL_HANGUP", "fs1", "connected"} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
	p = newProc(nil)
	if code := p.run(t, 10*time.Second, "status", "--json", "--admin", addr); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if !strings.Contains(p.stdout.String(), `"generation": 4`) {
		t.Errorf("--json output:\n%s", p.stdout)
	}
}

// adminRE finds the admin endpoint's bound address in the daemon's log.
var adminRE = regexp.MustCompile(`eslscript: admin endpoint listening.* address=(\S+)`)

func TestRunServesAdminEndpoint(t *testing.T) {
	t.Parallel()
	const pw = "Adm1n-Test-NoLeak-PW"
	sim := esltest.New(t, esltest.Options{Password: pw, TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript})
	p, done, _ := startDaemonProc(t, sim, dir, "--admin", "127.0.0.1:0")
	m := adminRE.FindStringSubmatch(p.stderr.String())
	if m == nil {
		t.Fatalf("no admin address in:\n%s", p.stderr)
	}
	base := "http://" + m[1]
	if code, body := httpGet(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("readyz %d:\n%s", code, body)
	}
	st := newProc(nil)
	if code := st.run(t, 10*time.Second, "status", "--admin", m[1]); code != exitOK || !strings.Contains(st.stdout.String(), "ivr") {
		t.Errorf("status exit %d:\n%s%s", code, st.stdout, st.stderr)
	}
	rl := newProc(nil)
	if code := rl.run(t, 10*time.Second, "reload", "--admin", m[1]); code != exitOK {
		t.Errorf("reload exit %d:\n%s", code, rl.stderr)
	}
	_, statusBody := httpGet(t, base+"/status")
	p.sigs <- syscall.SIGTERM
	if code := waitExit(t, p, done, 10*time.Second); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	for _, out := range []string{p.stderr.String(), p.stdout.String(), st.stdout.String(), statusBody} {
		if strings.Contains(out, pw) {
			t.Errorf("the password leaked:\n%s", out)
		}
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRunExposesMetricsAndReadiness drives a call through `eslscript run`
// and checks the admin endpoint's counters and readiness across a
// FreeSWITCH outage.
func TestRunExposesMetricsAndReadiness(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw", TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript, "api.lua": apiScript})
	p, done, addr := startDaemonProc(t, sim, dir, "--admin", "127.0.0.1:0")
	base := "http://" + adminRE.FindStringSubmatch(p.stderr.String())[1]

	// A script's own commands are timed per node and command word.
	if err := sim.WaitSubscribed(context.Background(), "CUSTOM test::api"); err != nil {
		t.Fatal(err)
	}
	sim.Fire(sim.CustomEvent("test::api"))
	pollAdmin(t, "script command timed", func() bool {
		_, body := httpGet(t, base+"/metrics")
		return strings.Contains(body, `eslscript_command_duration_seconds_count{command="uptime",node="default"} 1`)
	})

	call := sim.NewCall(esltest.CallOptions{DTMF: "1"})
	if _, err := sim.Dial(context.Background(), addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, call.Done(), "call")
	pollAdmin(t, "session counted", func() bool {
		_, body := httpGet(t, base+"/metrics")
		// the script hung up itself: the call's hangup cause is the label
		return strings.Contains(body, `eslscript_sessions_ended_total{cause="NORMAL_CLEARING",listener="default",script="ivr"} 1`) &&
			strings.Contains(body, `eslscript_node_up{node="default"} 1`)
	})

	sim.Stop()
	pollAdmin(t, "readyz fails on the node", func() bool {
		code, body := httpGet(t, base+"/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, `"node:default"`)
	})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	pollAdmin(t, "readyz passes again", func() bool { code, _ := httpGet(t, base+"/readyz"); return code == http.StatusOK })

	p.sigs <- syscall.SIGTERM
	if code := waitExit(t, p, done, 10*time.Second); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
}

// pollAdmin calls cond every 10 ms until it holds, failing after 10 s.
func pollAdmin(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting until %s", what)
		case <-tick.C:
		}
	}
}

// apiScript sends one api command per test::api event.
const apiScript = `local esl = require("esl")
return { events = { ["test::api"] = function() esl.api("uptime") end } }
`
