package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `eslscript` alone prints the help on stderr and exits 2.
func TestNoCommandIsAUsageError(t *testing.T) {
	t.Parallel()
	p := newProc(nil)
	if code := p.run(t, 5*time.Second); code != exitUsage || !strings.Contains(p.stderr.String(), "COMMANDS:") {
		t.Errorf("exit %d, stderr %q", code, p.stderr)
	}
}

// Flags may follow the paths; exec's arguments after FILE stay the
// script's.
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{
		"ivr.lua":          sessionScript,
		"ivr_test.lua":     `it("one", function() end)` + "\n" + `it("two", function() end)`,
		"oneshot/args.lua": `print(table.concat(argv, " ", 1))`,
	})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "test", dir, "--filter", "two", "-v"); code != exitOK ||
		!strings.Contains(p.stdout.String(), "1 passed, 0 failed") || strings.Contains(p.stdout.String(), "one") {
		t.Errorf("test DIR --filter: exit %d, stdout %q, stderr %q", code, p.stdout, p.stderr)
	}
	p = newProc(nil)
	if code := p.run(t, 20*time.Second, "exec", "--simulate", filepath.Join(dir, "oneshot", "args.lua"), "--filter", "x"); code != exitOK ||
		!strings.HasPrefix(p.stdout.String(), "--filter x\n") {
		t.Errorf("exec FILE --filter x: exit %d, stdout %q, stderr %q", code, p.stdout, p.stderr)
	}
}

// A --filter that matches no test fails (a typo in CI must not pass).
func TestFilterMatchingNothingFails(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "ivr_test.lua": `it("one", function() end)`})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "test", "--filter", "on3", dir); code != exitUsage ||
		!strings.Contains(p.stderr.String(), `--filter "on3" matches none of the 1 tests`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, p.stdout, p.stderr)
	}
}

// Each command's help lists the flags that apply to it.
func TestCommandHelpListsItsOwnFlags(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ has, lacks []string }{
		"status": {has: []string{"--admin", "--json"}, lacks: []string{"--fs-address", "--handler-budget", "--watch"}},
		"check":  {has: []string{"--scripts", "--script"}, lacks: []string{"--fs-address", "--drain-timeout"}},
		"exec":   {has: []string{"--fs-address", "--kv-backend", "--timeout"}, lacks: []string{"--listen", "--drain-timeout", "--admin"}},
		"test":   {has: []string{"run the tests again when a file is saved"}, lacks: []string{"reload scripts when they change", "--fs-address"}},
		"run":    {has: []string{"--fs-address", "--listen", "--drain-timeout", "--watch"}},
	}
	for cmd, c := range cases {
		p := newProc(nil)
		if code := p.run(t, 5*time.Second, cmd, "--help"); code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, code)
		}
		out := p.stdout.String()
		for _, s := range c.has {
			if !strings.Contains(out, s) {
				t.Errorf("%s --help lacks %q", cmd, s)
			}
		}
		for _, s := range c.lacks {
			if strings.Contains(out, s) {
				t.Errorf("%s --help lists %q", cmd, s)
			}
		}
	}
}
