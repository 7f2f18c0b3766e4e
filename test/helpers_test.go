package test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// waitLong bounds every single wait of these tests; none of them should
// come close to it.
const waitLong = 15 * time.Second

// newSecret returns a distinctive ESL password, easy to spot in output.
func newSecret() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "e2e-Pw-" + hex.EncodeToString(b) + "-zz"
}

// newSim starts a simulator whose password is a fresh secret.
func newSim(t *testing.T, opts esltest.Options) (*esltest.Server, string) {
	t.Helper()
	opts.Password = newSecret()
	return esltest.New(t, opts), opts.Password
}

// writeScripts writes files (relative name -> content) into a new
// directory and returns it.
func writeScripts(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(dir, name), body)
	}
	return dir
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// daemon is a running `eslscript run` connected to a simulator.
type daemon struct {
	*proc
	listen string // the outbound listener's bound address
}

// idleIVR is a session script that returns at once: the listener's
// default script "ivr" of startDaemon in tests whose scripts take no call.
const idleIVR = "return { session = function(session) end }\n"

// startDaemon runs `eslscript run` against sim (password in ESL_PASSWORD)
// with an outbound listener on a free port whose default script is ivr,
// and waits until it listens (it connected to sim before that).
func startDaemon(t *testing.T, sim *esltest.Server, secret, dir string, extra ...string) *daemon {
	t.Helper()
	return startDaemonEnv(t, sim, "ESL_PASSWORD", secret, dir, extra...)
}

// startDaemonEnv is startDaemon with the password in the environment
// variable passwordEnv.
func startDaemonEnv(t *testing.T, sim *esltest.Server, passwordEnv, secret, dir string, extra ...string) *daemon {
	t.Helper()
	p := startBin(t, secret, []string{passwordEnv + "=" + secret}, daemonArgs(sim, dir, extra...)...)
	l := p.waitLog("eslscript: listening", msg("eslscript: listening"))
	return &daemon{proc: p, listen: l.str("address")}
}

// daemonArgs is the command line of `eslscript run` against sim.
func daemonArgs(sim *esltest.Server, dir string, extra ...string) []string {
	return append([]string{"run", "--fs-address", sim.Addr(), "--listen", "127.0.0.1:0",
		"--script", "ivr", "--scripts", dir, "--log-format", "json"}, extra...)
}

// ctxFor returns a context that ends after waitLong or with the test.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	t.Cleanup(cancel)
	return ctx
}

// dial places a new call into the daemon's outbound listener, as the
// dialplan "socket <addr> async full" does.
func (d *daemon) dial(t *testing.T, sim *esltest.Server, o esltest.CallOptions) *esltest.Call {
	t.Helper()
	call := sim.NewCall(o)
	if _, err := sim.Dial(ctxFor(t), d.listen, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatalf("dial %s: %v", d.listen, err)
	}
	return call
}

// waitHangup waits for the call's hangup and returns its cause.
func waitHangup(t *testing.T, call *esltest.Call) string {
	t.Helper()
	if err := call.WaitHangup(ctxFor(t)); err != nil {
		t.Fatalf("call %s: %v", call.UUID(), err)
	}
	return call.HangupCause()
}

// apps returns "app args" for every application executed on the call.
func apps(call *esltest.Call) []string {
	var out []string
	for _, x := range call.Executed() {
		out = append(out, strings.TrimSpace(x.App+" "+x.Args))
	}
	return out
}

// authCount counts the auth commands the simulator received.
func authCount(sim *esltest.Server) int {
	n := 0
	for _, c := range sim.Commands() {
		if strings.HasPrefix(strings.ToLower(c.Line), "auth ") {
			n++
		}
	}
	return n
}

// inboundConns lists the ids of the simulator's open inbound connections.
func inboundConns(sim *esltest.Server) []int {
	var ids []int
	for _, c := range sim.Conns() {
		if !c.Outbound() {
			ids = append(ids, c.ID())
		}
	}
	return ids
}

// waitWatching returns once the daemon's file watcher (--watch) is known to
// be running: there is no log line for that, so it saves a plain module
// under lib/ (a new file makes a new generation) until a reload is logged,
// backing off between saves. Every save writes the same content, and
// unchanged content is not reloaded, so the saves make exactly one reload
// however many the watcher saw: none is left pending when it returns. It
// returns how many reloads were logged so far.
func (d *daemon) waitWatching(t *testing.T, dir string) int {
	t.Helper()
	path := filepath.Join(dir, "lib", "e2e_canary.lua")
	deadline := time.Now().Add(waitLong)
	for wait := 50 * time.Millisecond; time.Now().Before(deadline); wait *= 2 {
		writeFile(t, path, "return { canary = true }\n")
		if n, ok := d.nextReload(wait); ok {
			return n
		}
	}
	t.Fatal("the scripts watcher never noticed a change")
	return 0
}

// nextReload waits up to d for a "scripts reloaded" line and returns how
// many there are.
func (d *daemon) nextReload(wait time.Duration) (int, bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		text, changed := d.stderr.snapshot()
		if n := len(matching(text, msg("host: scripts reloaded"))); n > 0 {
			return n, true
		}
		select {
		case <-changed:
		case <-timer.C:
			return 0, false
		case <-d.exited:
			return 0, false
		}
	}
}
