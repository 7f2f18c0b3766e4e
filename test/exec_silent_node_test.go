package test

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A node that authenticates and then answers nothing (a frozen
// FreeSWITCH) does not keep `eslscript exec` waiting: the connection's
// liveness check gives up on it (nodes[].liveness, 1 s here; 30 s by
// default) and the script's esl.api returns nil, err, after which the run
// ends on its own.
func TestExecSilentNodeFailsCommands(t *testing.T) {
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
			go silentAfterAuth(nc)
		}
	}()
	dir := writeScripts(t, map[string]string{"job.lua": `
local esl = require("esl")
local out, err = esl.api("status")
print("api:", tostring(out), tostring(err))`})
	cfg := filepath.Join(t.TempDir(), "eslscript.yaml")
	body := "nodes:\n  - name: fs1\n    address: " + l.Addr().String() + "\n    liveness: 1s\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "exec", "--config", cfg, filepath.Join(dir, "job.lua"))
	p.waitExit(waitLong)
	out := p.stdout.String()
	if !strings.Contains(out, "api:\tnil\t") || !strings.Contains(out, "no reply from FreeSWITCH") {
		t.Fatalf("stdout %q, stderr %q", out, p.stderr)
	}
}

// silentAfterAuth greets, accepts any auth and the first subscription,
// then reads and never answers.
func silentAfterAuth(nc net.Conn) {
	defer nc.Close()
	r := bufio.NewReader(nc)
	_, _ = io.WriteString(nc, "Content-Type: auth/request\n\n")
	for i := 0; i < 2; i++ { // auth, event plain BACKGROUND_JOB
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if line == "\n" {
				break
			}
		}
		reply := "+OK accepted"
		if i == 1 {
			reply = "+OK event listener enabled plain"
		}
		_, _ = io.WriteString(nc, "Content-Type: command/reply\nReply-Text: "+reply+"\n\n")
	}
	_, _ = io.Copy(io.Discard, r)
}
