package test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// A script that returns at once, on 100 concurrent calls: FreeSWITCH parks
// an async socket's channel shortly after "connect", and only the socket's
// end releases the park, so an end inside that window left calls in the
// socket app for good. Every call must end (the dialplan continues after
// the socket app and hangs up) and leave no channel behind.
func TestRealQuickScriptLeavesNoStuckCall(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	dir := writeScripts(t, map[string]string{"quick.lua": `return { session = function(session) end }`})
	d := startRealDaemon(t, fs, dir, "quick")
	calls := placeCalls(t, d, "quick", 100)
	for _, a := range calls {
		hc := rec.Hangup(t, a, waitReal)
		if got := hc.Get("variable_after_socket"); got != "reached" {
			t.Errorf("call %s: after_socket = %q: the dialplan did not continue after the socket app", a, got)
		}
	}
	waitCallsGone(t, fs, rec, calls, waitReal)
}

// Every refusal (call cap, allow-list, unknown script) leaves the call in
// a defined state: the dialplan continues after the socket app, with
// eslscript_refused naming the reason; no channel stays in the socket app.
func TestRealRefusedCallsContinueDialplan(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	cases := []struct {
		name, script, reason string
		config               string
	}{
		{"unknown script", "nosuch", "no_script", ""},
		{"allow-list", "hold", "not_allowed", "    allow: [10.9.9.9/32]\n"},
		{"call cap", "hold", "max_calls", "    max_calls: 1\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeScripts(t, map[string]string{
				"hold.lua": `return { session = function(session) session:sleep(3000) end }`,
			})
			port, err := realfs.FreePort()
			if err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(t.TempDir(), "eslscript.yaml")
			body := "listeners:\n  - name: main\n    address: 127.0.0.1:" + itoa(port) + "\n    script: hold\n" + c.config
			if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			d := startRealDaemon(t, fs, dir, "hold", "--config", cfg)
			d.port = port
			var calls []string
			if c.reason == "max_calls" {
				calls = append(calls, d.call(t, "", nil)) // takes the only slot
				// its script runs (the slot is taken after the handshake):
				// its sleep application started
				rec.Wait(t, waitReal, "the first call's script",
					realfs.Named("CHANNEL_EXECUTE", func(ev realfs.Event) bool {
						return ev.Get("variable_other_loopback_leg_uuid") == calls[0] && ev.Get("Application") == "sleep"
					}))
			}
			refused := placeCalls(t, d, c.script, 5)
			for _, a := range refused {
				hc := rec.Hangup(t, a, waitReal)
				if got := hc.Get("variable_eslscript_refused"); got != c.reason {
					t.Errorf("call %s: eslscript_refused = %q, want %q", a, got, c.reason)
				}
				if got := hc.Get("variable_after_socket"); got != "reached" {
					t.Errorf("call %s: after_socket = %q: the dialplan did not continue", a, got)
				}
			}
			waitCallsGone(t, fs, rec, append(calls, refused...), waitReal)
		})
	}
}

// placeCalls places n calls to script at once and returns their a-legs.
func placeCalls(t *testing.T, d *realDaemon, script string, n int) []string {
	t.Helper()
	calls := make([]string, n)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			calls[i] = d.call(t, script, nil)
		}()
	}
	wg.Wait()
	return calls
}
