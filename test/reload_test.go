package test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// versionedIVR answers, says which version runs, waits for one digit,
// plays that version's prompt and hangs up.
func versionedIVR(version string) string {
	return fmt.Sprintf(`local log = require("log")
local VERSION = %q
return {
  session = function(session)
    session:answer()
    log.info("call started", { version = VERSION })
    local digit, err = session:waitForDtmf(10000)
    session:streamFile("ivr/" .. VERSION .. ".wav")
    log.info("call finished", { version = VERSION, digit = digit, err = err })
    session:hangup("NORMAL_CLEARING")
  end,
}
`, version)
}

// A script saved while a call runs (--watch) is reloaded without touching
// the FreeSWITCH socket: the live call finishes on the version it started
// with, a new call gets the new version, and the simulator sees no new
// connection or authentication.
func TestReloadDuringLiveCall(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{ParkConsumesDTMF: true})
	dir := writeScripts(t, map[string]string{"ivr.lua": versionedIVR("v1")})
	d := startDaemon(t, sim, secret, dir, "--watch")
	reloads := d.waitWatching(t, dir)
	auths, conns := authCount(sim), inboundConns(sim)

	first := d.dial(t, sim, esltest.CallOptions{})
	d.waitLog("first call started", msg("call started", "call", first.UUID(), "version", "v1"))

	writeFile(t, filepath.Join(dir, "ivr.lua"), versionedIVR("v2"))
	d.waitLogs("reload", reloads+1, msg("host: scripts reloaded"))

	second := d.dial(t, sim, esltest.CallOptions{})
	d.waitLog("second call started", msg("call started", "call", second.UUID(), "version", "v2"))
	second.SendDTMF("2")
	d.waitLog("second call finished", msg("call finished", "call", second.UUID(), "version", "v2", "digit", "2"))

	first.SendDTMF("1")
	d.waitLog("first call finished", msg("call finished", "call", first.UUID(), "version", "v1", "digit", "1"))
	for call, want := range map[*esltest.Call]string{first: "playback ivr/v1.wav", second: "playback ivr/v2.wav"} {
		if cause := waitHangup(t, call); cause != "NORMAL_CLEARING" {
			t.Fatalf("call %s hung up with %s", call.UUID(), cause)
		}
		if got := apps(call); !prefixesMatch(got, []string{"answer", want}) {
			t.Fatalf("call %s ran %q, want answer then %s", call.UUID(), got, want)
		}
	}
	if a := authCount(sim); a != auths {
		t.Fatalf("%d auth commands after the reload, %d before: the node reconnected", a, auths)
	}
	if now := inboundConns(sim); !slices.Equal(now, conns) || len(now) != 1 {
		t.Fatalf("inbound connections %v after the reload, %v before: want the same single one", now, conns)
	}
	d.stop()
}
