package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// twoNodes configures nodes fs2 and fs1 (fs1, the first by name, is the
// default node); --simulate never connects to their addresses.
const twoNodes = `nodes:
  - name: fs2
    address: 127.0.0.1:2
  - name: fs1
    address: 127.0.0.1:1
`

// nodeScript logs the nodes it sees from a call, an event and esl.node.
const nodeScript = `local esl = require("esl")
local log = require("log")
return {
  events = { ["demo::ping"] = function(ev) log.info("ping seen", { from = ev.node }) end },
  session = function(s)
    s:answer()
    log.info("session nodes", { default = esl.api("hostname"), other = esl.node("fs2").api("hostname") })
  end,
}
`

// With a configuration, run --simulate, exec --simulate and test name the
// simulated nodes as configured (each answers its own hostname).
func TestSimulateUsesConfiguredNodeNames(t *testing.T) {
	t.Parallel()
	scripts := writeScripts(t, map[string]string{
		"nodes.lua": nodeScript,
		"nodes_test.lua": `it("names the nodes", function()
  sim.call{}:run()
  assert.equals("fs1", sim.logs()[1].default)
  assert.equals("fs2", sim.logs()[1].other)
  sim.event("demo::ping")
  assert.equals("fs1", sim.logs()[2].from)
end)`,
	})
	dir := writeScripts(t, map[string]string{
		"eslscript.yaml": twoNodes,
		"job.lua":        `local esl = require("esl") print(esl.api("hostname"), esl.node("fs2").api("hostname"))`,
	})
	cfg := filepath.Join(dir, "eslscript.yaml")

	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "run", "--simulate", "--config", cfg, scripts); code != exitOK {
		t.Fatalf("run: exit %d\nstderr:\n%s", code, p.stderr)
	}
	for _, want := range []string{"default=fs1 other=fs2", "from=fs1"} {
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("run --simulate: stderr lacks %q:\n%s", want, p.stderr)
		}
	}

	p = newProc(nil)
	if code := p.run(t, 20*time.Second, "exec", "--simulate", "--config", cfg, filepath.Join(dir, "job.lua")); code != exitOK {
		t.Fatalf("exec: exit %d\nstderr:\n%s", code, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{"fs1\tfs2\n", "node fs2: commands sent:\n  api hostname\n", "node fs1: commands sent:\n  api hostname\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("exec --simulate: stdout lacks %q:\n%s", want, out)
		}
	}

	p = newProc(nil)
	if code := p.run(t, 20*time.Second, "test", "--config", cfg, "--scripts", scripts); code != exitOK {
		t.Errorf("test: exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
}
