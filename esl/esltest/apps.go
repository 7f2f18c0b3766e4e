package esltest

import (
	"strconv"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// installApps registers the default applications.
func (s *Server) installApps() {
	noop := appNone
	for name, fn := range map[string]AppFunc{
		OtherApps:             appNone,
		"answer":              func(x *Exec) string { x.Call.Answer(); return "" },
		"pre_answer":          func(x *Exec) string { x.Call.preAnswer(); return "" },
		"park":                appPark,
		"log":                 noop,
		"info":                noop,
		"ring_ready":          noop,
		"set":                 appSet,
		"export":              appSet,
		"unset":               func(x *Exec) string { x.Call.SetVar(strings.TrimSpace(x.Args), ""); return "" },
		"hangup":              func(x *Exec) string { x.Call.Hangup(strings.TrimSpace(x.Args)); return "" },
		"sleep":               appSleep,
		"playback":            appPlayback,
		"say":                 appSay,
		"phrase":              noop,
		"speak":               noop,
		"record":              appRecord,
		"transfer":            appTransfer,
		"bridge":              appBridge,
		"play_and_get_digits": appPlayAndGetDigits,
		"read":                appRead,
	} {
		s.apps[name] = fn
	}
	s.installMissing()
}

// appNone completes at once, leaving the response _none_.
func appNone(*Exec) string { return "" }

// appSet is set/export: "name=value".
func appSet(x *Exec) string {
	name, value, _ := strings.Cut(x.Args, "=")
	x.Call.SetVar(strings.TrimSpace(name), value)
	return ""
}

// appRecord: "path [time_limit_secs [silence_thresh [silence_hits]]]".
// Recording stops at a digit, the limit, hangup or break.
func appRecord(x *Exec) string {
	a := x.argv(4)
	limit := a.num(1, 0)
	d := time.Duration(limit) * time.Second
	if limit <= 0 {
		d = time.Hour
	}
	start := time.Now()
	if x.wait(d, digitsCollect) == waitDigit {
		if dg, ok := x.Call.popDigit(); ok {
			x.Call.fireDTMF(dg)
		}
	}
	ms := time.Since(start).Milliseconds()
	if path := a.at(0); path != "" {
		x.Call.SetVar("record_file_path", path)
	}
	x.Call.SetVar("record_ms", strconv.FormatInt(ms, 10))
	return "success"
}

// appTransfer: "[-bleg|-both] dest [dialplan [context]]".
func appTransfer(x *Exec) string {
	a := x.argv(4)
	dest := a.at(0)
	if strings.EqualFold(dest, "-bleg") || strings.EqualFold(dest, "-both") {
		dest = a.at(1)
	}
	if dest != "" {
		x.Call.transfer(dest)
	}
	return ""
}

// appBridge fails when the dial string does (see Server.dialFailure):
// originate_disposition, DIALSTATUS and originate_failed_cause say why
// and, as switch_channel_handle_cause decides, the call hangs up with the
// cause unless continue_on_fail allows it (NO_ANSWER, NO_USER_RESPONSE
// and ORIGINATOR_CANCEL always continue). Otherwise it fires
// CHANNEL_BRIDGE/CHANNEL_UNBRIDGE and returns (hanging up if
// hangup_after_bridge=true).
func appBridge(x *Exec) string {
	c := x.Call
	if cause := c.s.dialFailure(x.Args); cause != "" {
		c.SetVar("originate_disposition", cause)
		c.SetVar("DIALSTATUS", esl.DialStatus(cause))
		c.SetVar("originate_failed_cause", cause)
		if !continueOnFail(c.Var("continue_on_fail"), cause) {
			c.Hangup(cause)
		}
		return ""
	}
	peer := newUUID()
	c.SetVar("last_bridge_to", peer)
	c.SetVar("bridge_uuid", peer)
	c.SetVar("originate_disposition", "SUCCESS")
	other := func(ev *esl.Event) {
		ev.Add("Bridge-A-Unique-ID", c.uuid)
		ev.Add("Bridge-B-Unique-ID", peer)
		ev.Add("Other-Leg-Unique-ID", peer)
	}
	c.Answer()
	c.s.emitChannel(c, "CHANNEL_BRIDGE", other)
	c.s.emitChannel(c, "CHANNEL_UNBRIDGE", other)
	if c.Var("hangup_after_bridge") == "true" {
		c.Hangup("NORMAL_CLEARING")
	}
	return ""
}

// continueOnFail is switch_channel_handle_cause's choice between going on
// and hanging up after a failed bridge: continue_on_fail true, or a list
// of cause names that holds cause; without it only NO_ANSWER,
// NO_USER_RESPONSE and ORIGINATOR_CANCEL go on. (Cause numbers,
// failure_causes and transfer_on_fail are not simulated.)
func continueOnFail(v, cause string) bool {
	if v == "" {
		return cause == "NO_ANSWER" || cause == "NO_USER_RESPONSE" || cause == "ORIGINATOR_CANCEL"
	}
	if switchTrue(v) {
		return true
	}
	for _, c := range esl.SeparateString(v, ',', 0) {
		if strings.EqualFold(c, cause) {
			return true
		}
	}
	return false
}
