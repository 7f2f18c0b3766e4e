package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/ops"
)

const kvProbeScript = `local kv, log = require("kv"), require("log")
return {
  init = function() kv.set("from_init", "seeded by init") end,
  events = { ["test::kv"] = function() log.info("kv says", { v = kv.get("greeting") }) end },
}
`

// What an operator needs from a running daemon: its kv (read and seeded
// from the CLI), status with version, uptime and listeners, a reload that
// says when nothing changed, and metrics for the last reload and the build.
func TestOperatorCommands(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw", TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "probe.lua": kvProbeScript})
	d, done, listen := startDaemonProc(t, sim, dir, "--admin", "127.0.0.1:0")
	admin := adminRE.FindStringSubmatch(d.stderr.String())[1]
	cli := func(args ...string) (*testProc, int) {
		p := newProc(nil)
		code := p.run(t, 10*time.Second, append(args, "--admin", admin)...)
		return p, code
	}

	if p, code := cli("kv", "get", "from_init"); code != exitOK || p.stdout.String() != "seeded by init\n" {
		t.Errorf("kv get: exit %d, stdout %q, stderr %q", code, p.stdout, p.stderr)
	}
	if p, code := cli("kv", "set", "greeting", "hello there", "--ttl", "1h"); code != exitOK {
		t.Fatalf("kv set: exit %d, stderr %q", code, p.stderr)
	}
	if err := sim.WaitSubscribed(context.Background(), "CUSTOM test::kv"); err != nil {
		t.Fatal(err)
	}
	sim.Fire(sim.CustomEvent("test::kv"))
	d.stderr.waitFor(t, `msg="kv says" script=probe node=default v="hello there"`, 10*time.Second)
	if p, code := cli("kv", "keys", "gr"); code != exitOK || p.stdout.String() != "greeting\thello there\n" {
		t.Errorf("kv keys: exit %d, stdout %q", code, p.stdout)
	}
	if _, code := cli("kv", "del", "greeting"); code != exitOK {
		t.Errorf("kv del: exit %d", code)
	}
	if p, code := cli("kv", "get", "greeting"); code != exitFailure || !strings.Contains(p.stderr.String(), "no key greeting") {
		t.Errorf("kv get of a deleted key: exit %d, stderr %q", code, p.stderr)
	}

	p, code := cli("status")
	out := p.stdout.String()
	if code != exitOK || !strings.Contains(out, "eslscript dev, up ") || !strings.Contains(out, "LISTENER") ||
		!regexp.MustCompile(`(?m)^default\s+`+regexp.QuoteMeta(listen)+`\s+ivr\s+1000$`).MatchString(out) {
		t.Errorf("status: exit %d:\n%s", code, out)
	}
	p, _ = cli("status", "--json")
	var st ops.StatusBody
	if err := json.Unmarshal([]byte(p.stdout.String()), &st); err != nil || st.Version != "dev" || len(st.Listeners) != 1 || !st.Listeners[0].Bound {
		t.Errorf("status --json: %v %+v", err, st)
	}

	if p, code := cli("reload"); code != exitOK || !strings.HasPrefix(p.stdout.String(), "unchanged: generation 1") {
		t.Errorf("reload without a change: exit %d, stdout %q", code, p.stdout)
	}
	base := "http://" + admin
	_, metrics := httpGet(t, base+"/metrics")
	for _, want := range []string{`eslscript_build_info{goversion="go`, `eslscript_last_reload_success 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "probe.lua"), []byte("return {"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, code := cli("reload"); code != exitScripts {
		t.Errorf("broken reload: exit %d", code)
	}
	if _, metrics = httpGet(t, base+"/metrics"); !strings.Contains(metrics, "eslscript_last_reload_success 0") {
		t.Errorf("after a failed reload the metrics say:\n%s", grepLines(metrics, "last_reload"))
	}
	d.sigs <- syscall.SIGTERM
	if code := waitExit(t, d, done, 10*time.Second); code != exitOK {
		t.Fatalf("daemon exit %d", code)
	}
}

func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
