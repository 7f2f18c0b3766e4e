package main

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// execJob uses a module of the scripts directory, argv and the esl module.
const execJob = `local esl = require("esl")
local util = require("util")
print(util.shout(argv[1]), #argv, esl.api("hostname"))
local job = esl.bgapi("originate user/1000 &park")
print("job", job:wait(5000) ~= nil)
esl.fire("ops::done", { who = argv[1] })
`

func TestExecAgainstANode(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Hostname: "fs-cron", Password: "Sw0rdf1sh"})
	scripts := writeScripts(t, map[string]string{"lib/util.lua": `return { shout = function(s) return s:upper() end }`})
	job := filepath.Join(writeScripts(t, map[string]string{"job.lua": execJob}), "job.lua")
	p := newProc(map[string]string{"ESLSCRIPT_FS_PASSWORD": sim.Password()})
	code := p.run(t, 20*time.Second, "exec", "--fs-address", sim.Addr(), "--scripts", scripts, job, "bob", "-v")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	if want := "BOB\t2\tfs-cron\njob\ttrue\n"; p.stdout.String() != want {
		t.Errorf("stdout = %q, want %q", p.stdout, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := sim.WaitCommand(ctx, "sendevent CUSTOM"); err != nil {
		t.Errorf("the fired event never reached FreeSWITCH: %v", err)
	}
}

func TestExecSimulatePrintsCommands(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"job.lua": execJob, "util.lua": `return { shout = function(s) return s .. "!" end }`})
	p := newProc(nil)
	code := p.run(t, 20*time.Second, "exec", "--simulate", filepath.Join(dir, "job.lua"), "amy")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{
		"amy!\t1\tsim\njob\ttrue\n", // the simulated node is named sim: its hostname
		"commands sent:\n  api hostname\n  bgapi originate user/1000 &park\n",
		"  sendevent CUSTOM\n    Event-Subclass: ops::done\n    who: amy\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "auth") {
		t.Errorf("stdout reports the auth command:\n%s", out)
	}
}

func TestExecWrongPassword(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "right-one"})
	job := filepath.Join(writeScripts(t, map[string]string{"job.lua": `print("ran")`}), "job.lua")
	p := newProc(map[string]string{"ESL_PASSWORD": "Wr0ngPassw0rd"})
	code := p.run(t, 20*time.Second, "exec", "--fs-address", sim.Addr(), job)
	all := p.stdout.String() + p.stderr.String()
	if code != exitAuth || !strings.Contains(all, "nodes[0] (default at "+sim.Addr()+")") || !strings.Contains(all, "authentication failed") {
		t.Errorf("exit %d, output %q", code, all)
	}
	if strings.Contains(all, "Wr0ngPassw0rd") || strings.Contains(all, "ran") {
		t.Errorf("the password leaked or the script ran: %q", all)
	}
}

func TestExecScriptFailures(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{
		"boom.lua": "print('before')\nerror('boom')\n",
		"code.lua": "return 7\n",
		"loop.lua": "while true do end\n",
	})
	bad := filepath.Join(writeScripts(t, map[string]string{"bad.lua": "print('x')\nlocal = 1\n"}), "bad.lua")
	for _, tc := range []struct {
		file   string
		extra  []string
		code   int
		stderr string
	}{
		{"boom.lua", nil, exitScriptError, filepath.Join(dir, "boom.lua") + ":2: boom\n"},
		{bad, nil, exitScripts, "host: " + bad + ":2: "},
		{"code.lua", nil, 7, ""},
		{"loop.lua", []string{"--timeout", "100ms"}, exitScriptError, filepath.Join(dir, "loop.lua") + ":1: stopped: timeout\n"},
		{"missing.lua", nil, exitUsage, "eslscript: exec: cannot run "},
	} {
		p := newProc(nil)
		file := tc.file
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		args := append(append([]string{"exec", "--simulate"}, tc.extra...), file)
		code := p.run(t, 20*time.Second, args...)
		if code != tc.code || !strings.Contains(p.stderr.String(), tc.stderr) {
			t.Errorf("%s: exit %d (want %d), stderr %q (want %q)", tc.file, code, tc.code, p.stderr, tc.stderr)
		}
	}
}

func TestExecSignalStopsTheScript(t *testing.T) {
	t.Parallel()
	job := filepath.Join(writeScripts(t, map[string]string{"spin.lua": "print('spinning')\nwhile true do end\n"}), "spin.lua")
	p := newProc(nil)
	done := p.start("exec", "--simulate", job)
	p.stdout.waitFor(t, "spinning", 10*time.Second)
	p.sigs <- syscall.SIGTERM
	select {
	case code := <-done:
		if code != exitInterrupted || !strings.Contains(p.stderr.String(), "eslscript: exec: interrupted: "+job+":2: stopped: cancelled") {
			t.Errorf("exit %d, stderr %q", code, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not stop the script")
	}
}

func TestExecUsage(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	if code := p.run(t, 5*time.Second, "exec"); code != exitUsage || !strings.Contains(p.stderr.String(), "missing FILE") {
		t.Errorf("exit %d, stderr %q", code, p.stderr)
	}
	job := filepath.Join(writeScripts(t, map[string]string{"job.lua": `print("ran")`}), "job.lua")
	p = newProc(nil)
	missing := filepath.Join(t.TempDir(), "nope")
	if code := p.run(t, 5*time.Second, "exec", "--scripts", missing, job); code != exitUsage || !strings.Contains(p.stderr.String(), "cannot read scripts directory") {
		t.Errorf("missing scripts dir: exit %d, stderr %q", code, p.stderr)
	}
}
