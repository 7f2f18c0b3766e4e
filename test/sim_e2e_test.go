package test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// simMenu is the session script of the sim tests: a one-digit menu whose
// choice picks the transfer.
const simMenu = `local log = require("log")
return { session = function(s)
  s:answer()
  local d = s:playAndGetDigits(1, 1, 3, 5000, "#", "menu.wav", "bad.wav", "^[12]$", "choice")
  log.info("chose", { digit = d })
  s:transfer(d == "2" and "3000" or "2000", "XML", "default")
end }
`

// startBinStdin is startBin with stdin as the process's standard input.
func startBinStdin(t *testing.T, secret string, env []string, stdin io.Reader, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "ESLSCRIPT_ADMIN=off"}, env...)
	cmd.Stdin = stdin
	p := &proc{t: t, cmd: cmd, stdout: newSyncBuf(), stderr: newSyncBuf(), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting eslscript: %v", err)
	}
	go p.wait()
	t.Cleanup(func() { p.finish(secret) })
	return p
}

// waitOut waits until the process's stdout matches re and returns the
// submatches.
func (p *proc) waitOut(what string, re *regexp.Regexp) []string {
	p.t.Helper()
	deadline := time.After(waitLong)
	for {
		text, changed := p.stdout.snapshot()
		if m := re.FindStringSubmatch(text); m != nil {
			return m
		}
		select {
		case <-changed:
		case <-p.exited:
			p.t.Fatalf("eslscript exited (%d) before %s", p.code, what)
		case <-deadline:
			p.t.Fatalf("%s did not show within %v", what, waitLong)
		}
	}
}

// TestSimKeepsRunningForDaemonCallAndDTMF: `eslscript sim` serves the
// daemon (`eslscript run`) until stopped; `eslscript exec` places a call
// into the daemon's listener with originate '&socket(...)', the caller's
// digit is typed on the simulator's standard input, and the script's
// choice shows in the daemon's log and in the simulator's trace.
func TestSimKeepsRunningForDaemonCallAndDTMF(t *testing.T) {
	t.Parallel()
	secret := newSecret()
	env := []string{"ESL_PASSWORD=" + secret}
	console, typed := io.Pipe()
	defer typed.Close()
	sim := startBinStdin(t, secret, env, console, "sim", "--listen", "127.0.0.1:0")
	addr := sim.waitOut("the address", regexp.MustCompile(`listening on (127\.0\.0\.1:\d+) \(password from \$ESL_PASSWORD\)`))[1]

	dir := writeScripts(t, map[string]string{"ivr.lua": simMenu})
	d := startBin(t, secret, env, "run", "--fs-address", addr, "--listen", "127.0.0.1:0", "--script", "ivr",
		"--scripts", dir, "--log-format", "json")
	listen := d.waitLog("eslscript: listening", msg("eslscript: listening")).str("address")

	place := filepath.Join(t.TempDir(), "place.lua")
	writeFile(t, place, `print(require("esl").api("originate loopback/9000 '&socket(" .. argv[1] .. " async full)'"))`)
	ex := startBin(t, secret, env, "exec", "--fs-address", addr, place, listen)
	if code := ex.waitExit(waitLong); code != 0 {
		t.Fatalf("exec exited %d", code)
	}
	uuid := strings.TrimPrefix(strings.TrimSpace(ex.stdout.String()), "+OK ")
	sim.waitOut("the menu", regexp.MustCompile(`call `+regexp.QuoteMeta(uuid)+`: execute play_and_get_digits `))

	if _, err := io.WriteString(typed, "dtmf "+uuid+" 2\n"); err != nil {
		t.Fatal(err)
	}
	sim.waitOut("the transfer", regexp.MustCompile(`call `+regexp.QuoteMeta(uuid)+`: DTMF 2\n(?s:.*)`+
		`call `+regexp.QuoteMeta(uuid)+`: transferred to 3000\ncall `+regexp.QuoteMeta(uuid)+`: hangup NORMAL_CLEARING\n`))
	if l := d.waitLog("the script's choice", msg("chose")); l.str("digit") != "2" || l.str("call") != uuid {
		t.Errorf("script logged %v", l)
	}

	if _, err := io.WriteString(typed, "hash insert/r/k/v\n"); err != nil { // any api command
		t.Fatal(err)
	}
	sim.waitOut("the api reply", regexp.MustCompile(`\n\+OK\n`))
	typed.Close() // the end of its input does not stop the simulator
	sel := filepath.Join(t.TempDir(), "select.lua")
	writeFile(t, sel, `print(require("esl").api("hash select/r/k"))`)
	ex = startBin(t, secret, env, "exec", "--fs-address", addr, sel)
	if code := ex.waitExit(waitLong); code != 0 || ex.stdout.String() != "v\n" {
		t.Fatalf("exec after the console's end: exit %d, stdout %q", code, ex.stdout)
	}
	d.stop()
	sim.stop()
	if !strings.HasSuffix(sim.stdout.String(), "eslscript sim: stopped\n") {
		t.Errorf("sim output ends %q", sim.stdout.String())
	}
}
