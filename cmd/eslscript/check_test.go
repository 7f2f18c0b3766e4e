package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes a YAML configuration into a new temp file.
func writeConfig(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "eslscript.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A listener whose default script is no session script fails check and
// run at start (it would refuse every call), naming the key and the
// session scripts there are.
func TestListenerScriptMustBeASessionScript(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript})
	for script, msg := range map[string]string{
		"pin_irv": `listeners[0].script: no script "pin_irv" in the scripts directory (session scripts: ivr)`,
		"watch":   `listeners[0].script: script "watch" (`,
	} {
		cfg := writeConfig(t, "listeners:\n  - {name: ivr, address: 127.0.0.1:0, script: "+script+"}\nscripts: {dir: "+dir+"}\n")
		for _, cmd := range []string{"check", "run"} {
			p := newProc(nil)
			if code := p.run(t, 10*time.Second, cmd, "--config", cfg); code != exitUsage {
				t.Fatalf("%s %s: exit %d, want %d; stdout %q stderr: %s", cmd, script, code, exitUsage, p.stdout, p.stderr)
			}
			if !strings.Contains(p.stderr.String(), msg) {
				t.Errorf("%s %s: stderr %q, want %q", cmd, script, p.stderr, msg)
			}
		}
	}
	cfg := writeConfig(t, "listeners:\n  - {name: ivr, address: 127.0.0.1:0, script: ivr}\nscripts: {dir: "+dir+"}\n")
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "check", "--config", cfg); code != exitOK {
		t.Fatalf("good route: exit %d, stderr %s", code, p.stderr)
	}
}

// check reports every broken file, each at the line of the field at
// fault, test files included; warnings name event keys FreeSWITCH never
// sends and do not fail.
func TestCheckReportsEveryFile(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{
		"good.lua":     sessionScript,
		"a.lua":        "return {\n  init = function() end,\n  events = { DTMF = 5 },\n}\n",
		"b.lua":        "return {\n  session = 'x',\n}\n",
		"c.lua":        "return {\n  timers = {\n    t = { every = -1, fn = print },\n  },\n}\n",
		"ivr_test.lua": "describe('x', function()\n  it('y', function(\nend)\n",
	})
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "check", dir); code != exitScripts {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitScripts, p.stderr)
	}
	for _, want := range []string{
		filepath.Join(dir, "a.lua") + `:3: events["DTMF"] must be a function, got number`,
		filepath.Join(dir, "b.lua") + ":2: session must be a function, got string",
		filepath.Join(dir, "c.lua") + ":3: timers.t.every must be a positive number",
		filepath.Join(dir, "ivr_test.lua") + ":3: test file does not compile",
	} {
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("stderr does not report %q:\n%s", want, p.stderr)
		}
	}
	if strings.Contains(p.stderr.String(), "more failing") {
		t.Errorf("stderr counts failures instead of naming them:\n%s", p.stderr)
	}

	warn := writeScripts(t, map[string]string{"w.lua": "return {\n  events = {\n    CHANNEL_ANSWERD = function() end,\n  },\n}\n"})
	p = newProc(nil)
	if code := p.run(t, 10*time.Second, "check", warn); code != exitOK {
		t.Fatalf("warnings only: exit %d, stderr %s", code, p.stderr)
	}
	want := "warning: " + filepath.Join(warn, "w.lua") + `:3: events["CHANNEL_ANSWERD"]: not a FreeSWITCH event name (did you mean CHANNEL_ANSWER?)`
	if !strings.Contains(p.stderr.String(), want) || p.stdout.String() != "ok: 1 scripts, 1 warning\n" {
		t.Errorf("stdout %q stderr %q, want %q", p.stdout, p.stderr, want)
	}
}

// The shipped example configuration, run from the repository as the
// README does, routes its listener to a session script of the examples.
func TestExampleConfigChecks(t *testing.T) {
	t.Chdir("../..")
	p := newProc(nil)
	if code := p.run(t, 10*time.Second, "check", "--config", "eslscript.example.yaml"); code != exitOK {
		t.Fatalf("exit %d, stdout %q, stderr: %s", code, p.stdout, p.stderr)
	}
}
