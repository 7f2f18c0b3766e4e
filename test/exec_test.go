package test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// notifyScript is a one-shot inbound script: one api call, one originate
// per argument, an exit code that says whether every call went through.
const notifyScript = `local esl = require("esl")
print("switch " .. esl.api("hostname"))
local failed = 0
for i = 1, #argv do
  local uuid, cause = esl.originate("sofia/gateway/pstn/" .. argv[i], "&playback(notify.wav)")
  print(argv[i], uuid and "answered" or cause)
  if not uuid then failed = failed + 1 end
end
return failed
`

// `eslscript exec FILE ARGS` connects to FreeSWITCH with the password from
// the environment, runs the file once and exits with the code it returns.
func TestExecRunsOneShotScript(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{Hostname: "fs-east"})
	sim.FailDial("/5550002", "USER_BUSY")
	file := filepath.Join(writeScripts(t, map[string]string{"notify.lua": notifyScript}), "notify.lua")
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret},
		"exec", "--fs-address", sim.Addr(), file, "5550001", "5550002")
	if code := p.waitExit(waitLong); code != 1 {
		t.Fatalf("exec exited %d, want 1 (one call failed)", code)
	}
	out := p.stdout.String()
	for _, want := range []string{"switch fs-east\n", "5550001\tanswered\n", "5550002\tUSER_BUSY\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	n := 0
	for _, c := range sim.Commands() {
		if c.Name() == "bgapi" && strings.HasPrefix(c.Arg(), "originate ") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d originates reached FreeSWITCH, want 2", n)
	}
}

// A runtime error names the file and line and exits 5 (a systemd unit
// restarts the service; 3 is kept for scripts that do not compile).
func TestExecReportsScriptError(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	file := filepath.Join(writeScripts(t, map[string]string{"bad.lua": "local x = nil\nreturn x.field\n"}), "bad.lua")
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "exec", "--fs-address", sim.Addr(), file)
	if code := p.waitExit(waitLong); code != 5 {
		t.Fatalf("exec exited %d, want 5", code)
	}
	if out := p.stdout.String() + p.stderr.String(); !strings.Contains(out, "bad.lua:2:") {
		t.Fatalf("output does not name bad.lua:2:\n%s", out)
	}
}
