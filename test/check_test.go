package test

import (
	"regexp"
	"strings"
	"testing"
)

// brokenDir holds one good script and one that fails validation on the
// line of its return statement.
var brokenDir = map[string]string{
	"good.lua": `return { init = function() end }`,
	"bad.lua": `local log = require("log")

return {
  events = { CHANNEL_ANSWER = "not a function" },
}
`,
}

// `eslscript check` on a directory with a broken script exits 3 and names
// the file and line.
func TestCheckReportsBrokenScript(t *testing.T) {
	t.Parallel()
	secret := newSecret()
	dir := writeScripts(t, brokenDir)
	p := startBin(t, secret, []string{"ESL_PASSWORD=" + secret}, "check", dir)
	if code := p.waitExit(waitLong); code != 3 {
		t.Fatalf("check exited %d, want 3", code)
	}
	out := p.stdout.String() + p.stderr.String()
	if !regexp.MustCompile(`bad\.lua:4: .*CHANNEL_ANSWER`).MatchString(out) {
		t.Fatalf("check output does not name bad.lua:4 (the handler's line):\n%s", out)
	}
}

const simulatedIVR = `local log = require("log")
return {
  session = function(session)
    session:answer()
    local digits = session:playAndGetDigits(1, 1, 3, 3000, "#", "ivr/menu.wav", "ivr/invalid.wav", "[1-3]")
    log.info("menu choice", { digits = digits })
    session:streamFile("ivr/choice-" .. tostring(digits) .. ".wav")
    session:hangup("NORMAL_CLEARING")
  end,
}
`

// `eslscript run --simulate DIR` needs no FreeSWITCH: it places a call into
// the session script, presses the digits, prints the call's summary (apps
// with arguments, hangup cause) and exits 0; `check` accepts the same
// directory.
func TestRunSimulatePrintsCallSummary(t *testing.T) {
	t.Parallel()
	secret := newSecret()
	dir := writeScripts(t, map[string]string{"ivr.lua": simulatedIVR})
	env := []string{"ESL_PASSWORD=" + secret}

	chk := startBin(t, secret, env, "check", dir)
	if code := chk.waitExit(waitLong); code != 0 {
		t.Fatalf("check exited %d on a good directory", code)
	}
	if out := chk.stdout.String(); !strings.Contains(out, "ok: 1 scripts") {
		t.Fatalf("check printed %q", out)
	}

	p := startBin(t, secret, env, "run", "--simulate", "--dtmf", "2", "--log-format", "json", dir)
	if code := p.waitExit(waitLong); code != 0 {
		t.Fatalf("run --simulate exited %d, want 0", code)
	}
	out := p.stdout.String()
	summary := regexp.MustCompile(`(?m)^call 1: script ivr, uuid [0-9a-f-]{36}\n` +
		`  app answer\n` +
		`  app play_and_get_digits 1 1 3 3000 '#' 'ivr/menu\.wav' 'ivr/invalid\.wav' .*\n` +
		`  app playback .*ivr/choice-2\.wav\n` +
		`  hangup NORMAL_CLEARING\n`)
	if !summary.MatchString(out) {
		t.Fatalf("no call summary in the output:\n%s", out)
	}
	if !strings.Contains(out, "demo done: 1 calls") {
		t.Fatalf("no end of demo in the output:\n%s", out)
	}
	p.waitLog("menu choice", msg("menu choice", "digits", "2"))
}
