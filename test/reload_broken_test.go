package test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// brokenIVR has a syntax error on line 4.
const brokenIVR = `local log = require("log")
return {
  session = function(session)
    local x = = 1
  end,
}
`

// A save that breaks the script is reported with file:line and changes
// nothing: the running version keeps serving new calls. Fixing the file
// reloads.
func TestBrokenReloadKeepsRunningVersion(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{ParkConsumesDTMF: true})
	dir := writeScripts(t, map[string]string{"ivr.lua": versionedIVR("v1")})
	path := filepath.Join(dir, "ivr.lua")
	d := startDaemon(t, sim, secret, dir, "--watch")
	reloads := d.waitWatching(t, dir)

	writeFile(t, path, brokenIVR)
	l := d.waitLog("reload failure", msg("host: reload failed, keeping the running scripts"))
	if e := l.str("error"); !strings.Contains(e, "ivr.lua:4:") || !strings.Contains(e, "syntax error") {
		t.Fatalf("reload error %q, want ivr.lua:4: syntax error", e)
	}

	old := d.dial(t, sim, esltest.CallOptions{})
	d.waitLog("call on the old version", msg("call started", "call", old.UUID(), "version", "v1"))
	old.SendDTMF("1")
	if cause := waitHangup(t, old); cause != "NORMAL_CLEARING" {
		t.Fatalf("call on the old version hung up with %s", cause)
	}
	if got := apps(old); !prefixesMatch(got, []string{"answer", "playback ivr/v1.wav"}) {
		t.Fatalf("call after the broken save ran %q, want v1", got)
	}

	writeFile(t, path, versionedIVR("v3"))
	d.waitLogs("reload of the fix", reloads+1, msg("host: scripts reloaded"))
	fixed := d.dial(t, sim, esltest.CallOptions{})
	d.waitLog("call on the fixed version", msg("call started", "call", fixed.UUID(), "version", "v3"))
	fixed.SendDTMF("3")
	waitHangup(t, fixed)
	if got := apps(fixed); !prefixesMatch(got, []string{"answer", "playback ivr/v3.wav"}) {
		t.Fatalf("call after the fix ran %q, want v3", got)
	}
	d.stop()
}
