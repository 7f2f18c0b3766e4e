package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const (
	sessionScript = `local log = require("log")
return {
  session = function(session)
    session:answer()
    session:streamFile("silence_stream://100")
    local d = session:playAndGetDigits(1, 1, 1, 1000, "#", "silence_stream://10", "", "\\d")
    log.info("menu choice", {digit = d})
    session:hangup("NORMAL_CLEARING")
  end,
}
`
	eventScript = `local log = require("log")
return {
  events = {
    CHANNEL_ANSWER = function(ev) log.info("consumer saw answer", {uuid = ev:get("Unique-ID")}) end,
    DTMF = function(ev) log.info("consumer saw dtmf", {digit = ev:get("DTMF-Digit")}) end,
    ["demo::ping"] = function(ev) log.info("consumer saw ping") end,
  },
}
`
)

func TestVersion(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	if code := p.run(t, 5*time.Second, "version"); code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, p.stderr)
	}
	want := "eslscript dev (" + runtime.Version()
	if !strings.HasPrefix(p.stdout.String(), want) {
		t.Errorf("stdout = %q, want prefix %q", p.stdout, want)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"run", "--no-such-flag"}, {"no-such-command"}} {
		p := newProc(nil)
		if code := p.run(t, 5*time.Second, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr: %s", args, code, exitUsage, p.stderr)
		}
	}
}

func TestCheckGood(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{
		"ivr.lua": sessionScript, "watch.lua": eventScript,
		"ivr_test.lua": `describe("ivr", function() end)`, "lib/util.lua": "return {}",
	})
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "check", dir); code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, p.stderr)
	}
	if got := p.stdout.String(); got != "ok: 2 scripts\n" {
		t.Errorf("stdout = %q", got)
	}
}

func TestCheckScriptsFromEnv(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	p := newProc(map[string]string{"ESLSCRIPT_SCRIPTS": dir})
	if code := p.run(t, 10*time.Second, "check"); code != exitOK || p.stdout.String() != "ok: 1 scripts\n" {
		t.Fatalf("exit %d, stdout %q, stderr: %s", code, p.stdout, p.stderr)
	}
}

func TestCheckBroken(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"syntax":      "local x = 1\nreturn {\n  session = function(s) s:answer( end,\n}\n",
		"not table":   "local x = 1\nreturn 42\n",
		"bad handler": "return {\n  events = { CHANNEL_ANSWER = 5 },\n}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeScripts(t, map[string]string{"good.lua": sessionScript, "bad.lua": src})
			p := newProc(nil)
			if code := p.run(t, 10*time.Second, "check", dir); code != exitScripts {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitScripts, p.stderr)
			}
			if want := filepath.Join(dir, "bad.lua") + ":"; !strings.Contains(p.stderr.String(), want) {
				t.Errorf("stderr = %q, want it to name %q with a line", p.stderr, want)
			}
		})
	}
}

func TestCheckMissingDir(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	missing := filepath.Join(t.TempDir(), "nope")
	if code := p.run(t, 5*time.Second, "check", missing); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(p.stderr.String(), "cannot read scripts directory") || !strings.Contains(p.stderr.String(), missing) {
		t.Errorf("stderr = %q", p.stderr)
	}
}

func TestRunBadConfig(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	src := "scripts:\n  dir: " + dir + "\nlisteners:\n  - name: ivr\n    script: ivr\n    adress: 1.2.3.4:8084\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newProc(nil)
	if code := p.run(t, 5*time.Second, "run", "--config", cfg); code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitUsage, p.stderr)
	}
	if want := "c.yaml:6: listeners[0].adress: unknown key"; !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr = %q, want %q", p.stderr, want)
	}
}

func TestRunBadEnvAndFlag(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	p := newProc(map[string]string{"ESLSCRIPT_HANDLER_BUDGET": "soon"})
	if code := p.run(t, 5*time.Second, "run", dir); code != exitUsage || !strings.Contains(p.stderr.String(), "ESLSCRIPT_HANDLER_BUDGET") {
		t.Errorf("env: exit %d, stderr %q", code, p.stderr)
	}
	p = newProc(nil)
	if code := p.run(t, 5*time.Second, "run", "--listen", "1.2.3.4:99999", "--script", "ivr", dir); code != exitUsage ||
		!strings.Contains(p.stderr.String(), "listeners[0].address") {
		t.Errorf("flag: exit %d, stderr %q", code, p.stderr)
	}
}

func TestRunMissingPassword(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	p := newProc(nil)
	code := p.run(t, 5*time.Second, "run", "--fs-address", "127.0.0.1:1", dir)
	if code != exitUsage || !strings.Contains(p.stderr.String(), "nodes[0].password_env: environment variable ESL_PASSWORD is not set") {
		t.Errorf("exit %d, stderr %q", code, p.stderr)
	}
}

func TestRunUnreadableScriptsDir(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	missing := filepath.Join(t.TempDir(), "scripts")
	if code := p.run(t, 5*time.Second, "run", "--scripts", missing); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(p.stderr.String(), "cannot read scripts directory") {
		t.Errorf("stderr = %q", p.stderr)
	}
}

func TestRunBrokenScript(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"bad.lua": "return 42\n"})
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "run", dir); code != exitScripts {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitScripts, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "bad.lua") {
		t.Errorf("stderr = %q", p.stderr)
	}
}

func TestCheckFlagBeatsEnvBeatsFile(t *testing.T) {
	t.Parallel()
	good := writeScripts(t, map[string]string{"ivr.lua": sessionScript})
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(cfg, []byte("scripts: {dir: /nonexistent/file}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ESLSCRIPT_CONFIG": cfg}
	p := newProc(env)
	if code := p.run(t, 5*time.Second, "check"); code != exitUsage || !strings.Contains(p.stderr.String(), "/nonexistent/file") {
		t.Errorf("file only: exit %d, stderr %q", code, p.stderr)
	}
	env["ESLSCRIPT_SCRIPTS"] = good
	p = newProc(env)
	if code := p.run(t, 10*time.Second, "check"); code != exitOK {
		t.Errorf("env over file: exit %d, stderr %q", code, p.stderr)
	}
	p = newProc(map[string]string{"ESLSCRIPT_CONFIG": cfg, "ESLSCRIPT_SCRIPTS": "/nonexistent/env"})
	if code := p.run(t, 10*time.Second, "check", "--scripts", good); code != exitOK {
		t.Errorf("flag over env: exit %d, stderr %q", code, p.stderr)
	}
}
