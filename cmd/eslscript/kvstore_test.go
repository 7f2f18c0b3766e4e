package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
)

// kvJob counts its runs in kv and prints the count, or the error.
const kvJob = `local kv = require("kv")
local n, err = kv.incr("runs")
print(n or err)
`

// TestExecSharesRedisKV runs two exec jobs on one password-protected
// Redis (configured through the environment): the second sees the
// first's count. With Redis gone, the job gets nil, err and still ends.
// The password shows nowhere.
func TestExecSharesRedisKV(t *testing.T) {
	t.Parallel()
	const pw = "Redis-Pw-0f-Exec"
	srv := rediskvtest.Start(t, rediskvtest.Options{Password: pw})
	job := filepath.Join(writeScripts(t, map[string]string{"job.lua": kvJob}), "job.lua")
	vars := map[string]string{"ESLSCRIPT_KV_BACKEND": "redis", "ESLSCRIPT_KV_ADDRESS": srv.Address,
		"ESLSCRIPT_KV_PASSWORD": pw, "ESLSCRIPT_KV_PREFIX": "exec:", "ESLSCRIPT_KV_TIMEOUT": "500ms"}
	for i, want := range []string{"1\n", "2\n", "rediskv: redis unavailable"} {
		if i == 2 {
			srv.Stop()
		}
		p := newProc(vars)
		code := p.run(t, 20*time.Second, "exec", job)
		if code != exitOK || !strings.Contains(p.stdout.String(), want) {
			t.Fatalf("run %d: exit %d, stdout %q, want %q\nstderr:\n%s", i, code, p.stdout, want, p.stderr)
		}
		if strings.Contains(p.stdout.String()+p.stderr.String(), pw) {
			t.Fatalf("run %d shows the password:\n%s\n%s", i, p.stdout, p.stderr)
		}
	}
}

// TestRunAndExecShareRedisKV: what the daemon's init writes, an exec job
// reads, both configured by flags.
func TestRunAndExecShareRedisKV(t *testing.T) {
	t.Parallel()
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	dir := writeScripts(t, map[string]string{"seed.lua": `return { init = function()
  assert(require("kv").set("seeded", "by the daemon")) end }`})
	job := filepath.Join(writeScripts(t, map[string]string{"job.lua": `print(require("kv").get("seeded"))`}), "job.lua")
	kvFlags := []string{"--kv-backend", "redis", "--kv-address", srv.Address, "--kv-prefix", "shared:"}
	d := newProc(nil)
	done := d.start(append(append([]string{"run"}, kvFlags...), dir)...)
	d.stderr.waitFor(t, "host: scripts loaded", 10*time.Second)
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, append(append([]string{"exec"}, kvFlags...), job)...); code != exitOK ||
		p.stdout.String() != "by the daemon\n" {
		t.Fatalf("exec: exit %d, stdout %q\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	d.sigs <- syscall.SIGTERM
	if code := waitExit(t, d, done, 10*time.Second); code != exitOK {
		t.Fatalf("daemon exit %d:\n%s", code, d.stderr)
	}
}
