package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

func TestRunSimulate(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "run", "--simulate", dir); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{
		"call 1: script ivr, uuid ",
		"  app answer\n",
		"  app playback ", "silence_stream://100\n",
		// the caller presses the --dtmf digit when the menu starts reading
		"  app play_and_get_digits 1 1 1 1000 '#' 'silence_stream://10' ",
		"  hangup NORMAL_CLEARING\n",
		"fired event demo::ping\n",
		"demo done: 1 calls\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	errOut := p.stderr.String()
	for _, want := range []string{`msg="menu choice"`, "digit=1", "consumer saw answer", "consumer saw ping"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// The simulated caller pressed the --dtmf digit while the menu waited.
	if !regexp.MustCompile(`msg="consumer saw dtmf".* digit=1`).MatchString(errOut) {
		t.Errorf("no DTMF 1 reached the consumer:\n%s", errOut)
	}
}

func TestRunSimulateEventsOnly(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"watch.lua": eventScript})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "run", "--simulate", "--scripts", dir); code != exitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, p.stderr)
	}
	if !strings.Contains(p.stdout.String(), "no session scripts") || !strings.Contains(p.stderr.String(), "consumer saw answer") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
	}
}

// listenRE finds the bound address in the "listening" log line.
var listenRE = regexp.MustCompile(`eslscript: listening.* address=(\S+)`)

// startDaemonProc runs `eslscript run` against a simulator and waits until
// it listens; it returns the process, its exit channel and the address.
func startDaemonProc(t *testing.T, sim *esltest.Server, dir string, extra ...string) (*testProc, <-chan int, string) {
	t.Helper()
	p := newProc(map[string]string{"ESLSCRIPT_FS_PASSWORD": sim.Password()})
	args := append([]string{"run", "--fs-address", sim.Addr(), "--listen", "127.0.0.1:0", "--script", "ivr"}, extra...)
	done := p.start(append(args, dir)...)
	p.stderr.waitFor(t, "eslscript: listening", 10*time.Second)
	m := listenRE.FindStringSubmatch(p.stderr.String())
	if m == nil {
		t.Fatalf("no listen address in:\n%s", p.stderr)
	}
	return p, done, m[1]
}

// waitExit waits for the exit code.
func waitExit(t *testing.T, p *testProc, done <-chan int, d time.Duration) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(d):
		t.Fatalf("did not exit within %v; stderr:\n%s", d, p.stderr)
	}
	return -1
}

func TestRunServesCallsReloadsAndDrains(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "s3cr3t-pw", TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript})
	p, done, addr := startDaemonProc(t, sim, dir)
	if !strings.Contains(p.stderr.String(), "eslscript: connected") {
		t.Errorf("no connected log:\n%s", p.stderr)
	}

	call := sim.NewCall(esltest.CallOptions{DTMF: "1"})
	if _, err := sim.Dial(context.Background(), addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, call.Done(), "call")
	if call.HangupCause() != "NORMAL_CLEARING" {
		t.Errorf("hangup cause = %q", call.HangupCause())
	}
	p.stderr.waitFor(t, "consumer saw answer", 5*time.Second)

	// SIGHUP reloads: the new script's handler runs for the next call.
	newScript := strings.Replace(sessionScript, `"menu choice"`, `"menu choice v2"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "ivr.lua"), []byte(newScript), 0o644); err != nil {
		t.Fatal(err)
	}
	p.sigs <- syscall.SIGHUP
	p.stderr.waitFor(t, "host: scripts reloaded", 10*time.Second)
	call = sim.NewCall(esltest.CallOptions{DTMF: "1"})
	if _, err := sim.Dial(context.Background(), addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, call.Done(), "second call")
	p.stderr.waitFor(t, "menu choice v2", 5*time.Second)

	p.sigs <- syscall.SIGTERM
	if code := waitExit(t, p, done, 10*time.Second); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if strings.Contains(p.stderr.String(), "s3cr3t-pw") {
		t.Error("the password reached the log")
	}
}

func TestRunDrainHangsUpAfterTimeout(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw"})
	dir := writeScripts(t, map[string]string{"ivr.lua": `return { session = function(s)
  s:answer()
  s:waitForDtmf(60000)
end }`})
	p, done, addr := startDaemonProc(t, sim, dir, "--drain-timeout", "200ms")
	call := sim.NewCall(esltest.CallOptions{})
	if _, err := sim.Dial(context.Background(), addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	waitAnswered(t, call)
	p.sigs <- syscall.SIGTERM
	if code := waitExit(t, p, done, 10*time.Second); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	waitDone(t, call.Done(), "drained call")
	if call.HangupCause() != "SYSTEM_SHUTDOWN" {
		t.Errorf("hangup cause = %q, want SYSTEM_SHUTDOWN; stderr:\n%s", call.HangupCause(), p.stderr)
	}
}

func TestRunNodeUnreachable(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	// A port that was just free: nothing listens there.
	sim := esltest.New(t, esltest.Options{})
	addr := sim.Addr()
	sim.Close()
	p := newProc(map[string]string{"ESL_PASSWORD": "x"})
	code := p.run(t, 20*time.Second, "run", "--fs-address", addr, dir)
	if code != exitFailure || !strings.Contains(p.stderr.String(), "nodes[0] (default at "+addr+")") {
		t.Errorf("exit %d, stderr %q", code, p.stderr)
	}
}

func waitDone(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not end", what)
	}
}

// waitAnswered waits until the call is answered.
func waitAnswered(t *testing.T, c *esltest.Call) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.WaitAnswered(ctx); err != nil {
		t.Fatalf("call not answered: %v", err)
	}
}

func TestRunSimulateDurationCutsShort(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"wait.lua": `return { session = function(s)
  s:answer()
  s:waitForDtmf(600000)
  s:waitForDtmf(600000)
end }`})
	p := newProc(nil)
	start := time.Now()
	if code := p.run(t, 15*time.Second, "run", "--simulate", "--duration", "2s", "--dtmf", "", dir); code != exitOK {
		t.Fatalf("exit %d\nstderr:\n%s", code, p.stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if !strings.Contains(p.stdout.String(), "call 1: script wait") {
		t.Errorf("stdout:\n%s", p.stdout)
	}
}
