package test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// fleetScripts are an instance's scripts: serve marks the call with the
// instance's name (served_by) and returns, so the dialplan goes on; hold
// keeps a call (and a call slot) until it is hung up, in a sleep
// application; wait keeps it in a wait on the host.
func fleetScripts(t *testing.T, name string) string {
	return writeScripts(t, map[string]string{
		"serve.lua": `return { session = function(session) session:setVariable("served_by", "` + name + `") end }`,
		"hold.lua":  `return { session = function(session) session:answer(); session:sleep(60000) end }`,
		"wait.lua":  `return { session = function(session) session:answer(); freeswitch.msleep(60000) end }`,
	})
}

// startFleetDaemon starts an instance serving dir whose listener takes
// at most maxCalls calls (0: no cap).
func startFleetDaemon(t *testing.T, fs *realfs.FreeSWITCH, dir string, maxCalls int) *realDaemon {
	t.Helper()
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	body := "listeners:\n  - name: main\n    address: 127.0.0.1:" + itoa(port) + "\n    script: serve\n"
	if maxCalls > 0 {
		body += "    max_calls: " + itoa(maxCalls) + "\n"
	}
	cfg := filepath.Join(t.TempDir(), "eslscript.yaml")
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startRealDaemon(t, fs, dir, "serve", "--config", cfg)
	d.port = port
	return d
}

// Outbound calls across two instances with the dialplan of the realfs
// configuration (fleetA_B): the socket app tries A, then B when A's
// listener does not take the connection; a call that A accepts and
// refuses comes back with eslscript_refused and the dialplan tries again
// from B. When A is at its call cap, draining (SIGTERM, a call still
// holding it) or killed, B serves the call, the dialplan goes on after
// it, and no call is left behind; a call A was serving when it was killed
// goes on in the dialplan after its socket app.
func TestRealFleetOutboundFallsOver(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	cases := []struct {
		name     string
		maxCalls int
		// stop puts A out of service; hold is the a-leg of A's holding call ("" if none)
		stop    func(t *testing.T, a *realDaemon) (hold string)
		refused string // the refusal the dialplan saw from A ("" when A took no connection)
	}{
		{"A at max_calls", 1, func(t *testing.T, a *realDaemon) string {
			return holdCall(t, rec, a)
		}, "max_calls"},
		{"A draining", 0, func(t *testing.T, a *realDaemon) string {
			hold := holdCall(t, rec, a)
			a.signal(syscall.SIGTERM)
			a.waitLog("drain start", msg("eslscript: draining"))
			return hold
		}, ""},
		{"A killed", 0, func(t *testing.T, a *realDaemon) string {
			// A's script waits on the host, no application runs (a running
			// one, such as a sleep, would go on to its end first)
			hold := a.call(t, "wait", nil)
			rec.Wait(t, waitReal, "the answer of A's call", realfs.Named("CHANNEL_ANSWER", rec.BLeg(hold)))
			a.signal(syscall.SIGKILL)
			a.waitExit(waitReal)
			// the call A was serving ends its socket app: the dialplan goes on
			if got := rec.Hangup(t, hold, waitReal).Get("variable_after_socket"); got != "reached" {
				t.Errorf("the call A served when it was killed: after_socket %q, want the dialplan to go on", got)
			}
			return hold
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := startFleetDaemon(t, fs, fleetScripts(t, "A"), c.maxCalls)
			b := startFleetDaemon(t, fs, fleetScripts(t, "B"), 0)
			// A serves while it can.
			first := fs.Originate(t, "fleet"+itoa(a.port)+"_"+itoa(b.port), nil)
			if got := rec.Hangup(t, first, waitReal).Get("variable_served_by"); got != "A" {
				t.Fatalf("call with A up served by %q, want A", got)
			}
			hold := c.stop(t, a)
			calls := []string{first}
			for range 3 {
				call := fs.Originate(t, "fleet"+itoa(a.port)+"_"+itoa(b.port), nil)
				calls = append(calls, call)
				hc := rec.Hangup(t, call, waitReal)
				if got := hc.Get("variable_served_by"); got != "B" {
					t.Errorf("call %s served by %q, want B (apps %v)", call, got, rec.Apps(call))
				}
				if got := hc.Get("variable_fleet_refused"); got != c.refused {
					t.Errorf("call %s: fleet_refused = %q, want %q", call, got, c.refused)
				}
				if got := hc.Get("variable_after_socket"); got != "reached" {
					t.Errorf("call %s: the dialplan did not go on after B's script (after_socket %q)", call, got)
				}
			}
			if hold != "" {
				fs.MustAPI(t, "uuid_kill "+hold)
				calls = append(calls, hold)
			}
			waitCallsGone(t, fs, rec, calls, waitReal)
		})
	}
}

// holdCall places a call that A's hold script keeps and waits until the
// script runs (its sleep started): A's call slot is taken.
func holdCall(t *testing.T, rec *realfs.Recorder, a *realDaemon) string {
	t.Helper()
	hold := a.call(t, "hold", nil)
	rec.Wait(t, waitReal, "the holding call's script",
		realfs.Named("CHANNEL_EXECUTE", func(ev realfs.Event) bool {
			return ev.Get("variable_other_loopback_leg_uuid") == hold && ev.Get("Application") == "sleep"
		}))
	return hold
}
