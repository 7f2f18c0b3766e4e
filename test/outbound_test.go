package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

const outboundIVR = `local log = require("log")
return {
  session = function(session)
    session:answer()
    local digits = session:playAndGetDigits(1, 1, 3, 5000, "#", "ivr/menu.wav", "ivr/invalid.wav", "[1-3]")
    log.info("menu choice", { digits = digits, caller = session:getVariable("caller_id_number") })
    if digits == "2" then
      session:streamFile("ivr/sales.wav")
      session:hangup("NORMAL_CLEARING")
      return
    end
    session:hangup("CALL_REJECTED")
  end,
}
`

// An outbound call runs the listener's default script top to bottom: the
// simulated call sees answer, the menu, the prompt chosen by the digit the
// caller pressed and the script's hangup, and the script's log line
// carries the call's uuid and the digit.
func TestOutboundCallRunsScript(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{TimeScale: 0.01})
	d := startDaemon(t, sim, secret, writeScripts(t, map[string]string{"ivr.lua": outboundIVR}))

	call := d.dial(t, sim, esltest.CallOptions{CallerIDNumber: "5551234"})
	if _, err := call.WaitExecuting(ctxFor(t), "play_and_get_digits"); err != nil {
		t.Fatal(err)
	}
	call.SendDTMF("2")
	if cause := waitHangup(t, call); cause != "NORMAL_CLEARING" {
		t.Fatalf("hangup cause %q, want NORMAL_CLEARING", cause)
	}
	l := d.waitLog("menu choice", msg("menu choice", "call", call.UUID()))
	if l.str("digits") != "2" || l.str("caller") != "5551234" || l.str("script") != "ivr" {
		t.Fatalf("log line %v, want digits 2, caller 5551234, script ivr", l)
	}
	got := apps(call)
	// session:hangup is a sendmsg hangup, not an application: the cause
	// above proves it arrived.
	want := []string{"answer", "play_and_get_digits 1 1 3 5000 '#' 'ivr/menu.wav' 'ivr/invalid.wav'", "playback ivr/sales.wav"}
	if !prefixesMatch(got, want) {
		t.Fatalf("apps executed %q, want %q (prefixes)", got, want)
	}
	if !call.Answered() {
		t.Fatal("the call was never answered")
	}
	d.stop()
}

// prefixesMatch reports whether got has exactly len(want) entries, each
// starting with the corresponding want.
func prefixesMatch(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			return false
		}
	}
	return true
}
