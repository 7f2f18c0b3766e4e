package test

import (
	"bufio"
	"net"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// A wrong ESL password makes `eslscript run` fail at start with exit code
// 6 (systemd does not restart it: it will not fix itself) and a message that names the failed authentication, without printing
// either password.
func TestWrongPasswordFailsWithoutLeakingIt(t *testing.T) {
	t.Parallel()
	sim, right := newSim(t, esltest.Options{})
	wrong := newSecret()
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	p := startBin(t, wrong, []string{"ESL_PASSWORD=" + wrong}, daemonArgs(sim, dir)...)
	if code := p.waitExit(waitLong); code != 6 {
		t.Fatalf("exit code %d with a wrong password, want 6", code)
	}
	out := p.stdout.String() + p.stderr.String()
	if !strings.Contains(strings.ToLower(out), "auth") {
		t.Fatalf("the failure does not mention authentication:\n%s", out)
	}
	if strings.Contains(out, right) {
		t.Fatal("the simulator's password appears in the output")
	}
}

// A FreeSWITCH-like peer whose refusal echoes the auth line (with the
// password) into its reply text: the startup error that quotes it must not
// print the password (startBin fails the test if it appears anywhere).
func TestEchoedAuthLineIsScrubbedFromStartupError(t *testing.T) {
	t.Parallel()
	secret := newSecret()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				_, _ = nc.Write([]byte("Content-Type: auth/request\n\n"))
				line, _ := bufio.NewReader(nc).ReadString('\n')
				_, _ = nc.Write([]byte("Content-Type: command/reply\nReply-Text: -ERR unexpected " +
					strings.TrimSpace(line) + "\n\n"))
			}()
		}
	}()
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "run", "--fs-address", l.Addr().String(),
		"--scripts", dir, "--log-format", "json")
	if code := p.waitExit(waitLong); code != 6 {
		t.Fatalf("exit code %d, want 6", code)
	}
	if out := p.stderr.String(); !strings.Contains(out, "[redacted]") && !strings.Contains(strings.ToLower(out), "auth") {
		t.Fatalf("the failure says nothing useful:\n%s", out)
	}
}
