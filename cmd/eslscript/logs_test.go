package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

const chattyScripts = `local log = require("log")
return { events = { ["test::log"] = function(ev) log.info("chatty says", { n = ev:get("N") }) end } }
`

// `eslscript logs` follows a running daemon's log through the admin
// endpoint, filtered by script.
func TestLogsFollowsTheDaemon(t *testing.T) {
	t.Parallel()
	sim := esltest.New(t, esltest.Options{Password: "pw", TimeScale: 0.01})
	dir := writeScripts(t, map[string]string{
		"ivr.lua": sessionScript, "chatty.lua": chattyScripts,
		"other.lua": strings.ReplaceAll(chattyScripts, "chatty says", "other says"),
	})
	d, done, _ := startDaemonProc(t, sim, dir, "--admin", "127.0.0.1:0")
	admin := adminRE.FindStringSubmatch(d.stderr.String())[1]
	if err := sim.WaitSubscribed(context.Background(), "CUSTOM test::log"); err != nil {
		t.Fatal(err)
	}
	lp := newProc(nil)
	ldone := lp.start("logs", "--admin", admin, "--script", "chatty", "--json")
	pollAdmin(t, "a followed line", func() bool { // until the follower is in place
		ev := sim.CustomEvent("test::log")
		ev.Add("N", "1")
		sim.Fire(ev)
		return strings.Contains(lp.stdout.String(), "chatty says")
	})
	for _, line := range strings.Split(strings.TrimSpace(lp.stdout.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["script"] != "chatty" || m["msg"] != "chatty says" || m["n"] != "1" {
			t.Errorf("followed line %q (%v)", line, err)
		}
	}
	lp.sigs <- syscall.SIGINT
	if code := waitExit(t, lp, ldone, 10*time.Second); code != exitOK {
		t.Errorf("logs exit %d: %s", code, lp.stderr)
	}
	d.sigs <- syscall.SIGTERM
	if code := waitExit(t, d, done, 10*time.Second); code != exitOK {
		t.Fatalf("daemon exit %d", code)
	}
}
