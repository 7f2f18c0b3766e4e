package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// exec --simulate answers sofia status, show channels, hash, db and
// reloadxml plausibly, and --reply scripts a command line's reply (inline
// with \n, or from a file); --reply without --simulate is a usage error.
func TestExecSimulateReplies(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"job.lua": `local esl = require("esl")
for _, cmd in ipairs({ "sofia status", "show channels", "hash insert/r/k/v", "db insert/r/k/v", "reloadxml",
                       "sofia status gateway gw1", "show calls count", "uuid_exists x" }) do
  local out, err = esl.api(cmd)
  print(cmd .. " => " .. tostring(out or err))
end`})
	gw := filepath.Join(dir, "gw.txt")
	if err := os.WriteFile(gw, []byte("gw1 REGED, a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newProc(nil)
	code := p.run(t, 20*time.Second, "exec", "--simulate", "--reply", `show calls count=\n7 total.\n`,
		"--reply", "sofia status gateway=@"+gw, "--reply", "uuid_exists=true", filepath.Join(dir, "job.lua"))
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{
		"sofia status => ", "2 profiles 0 aliases", "show channels => \n0 total.\n", "hash insert/r/k/v => +OK\n",
		"db insert/r/k/v => +OK\n", "reloadxml => +OK [Success]\n", "sofia status gateway gw1 => gw1 REGED, a\n",
		"show calls count => \n7 total.\n", "uuid_exists x => true\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range [][]string{
		{"exec", "--reply", "status=x", filepath.Join(dir, "job.lua")},
		{"exec", "--simulate", "--reply", "=x", filepath.Join(dir, "job.lua")},
		{"exec", "--simulate", "--reply", "status=@" + filepath.Join(dir, "nosuch"), filepath.Join(dir, "job.lua")},
	} {
		p := newProc(nil)
		if code := p.run(t, 20*time.Second, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", bad, code, exitUsage, p.stderr)
		}
	}
}
