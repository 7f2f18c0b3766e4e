package esltest

import (
	"strconv"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// installApps registers the default applications.
func (s *Server) installApps() {
	noop := func(*Exec) string { return "" }
	for name, fn := range map[string]AppFunc{
		"answer":              func(x *Exec) string { x.Call.Answer(); return "" },
		"pre_answer":          func(x *Exec) string { x.Call.preAnswer(); return "" },
		"park":                noop,
		"log":                 noop,
		"info":                noop,
		"ring_ready":          noop,
		"set":                 appSet,
		"export":              appSet,
		"unset":               func(x *Exec) string { x.Call.SetVar(strings.TrimSpace(x.Args), ""); return "" },
		"hangup":              func(x *Exec) string { x.Call.Hangup(strings.TrimSpace(x.Args)); return "" },
		"sleep":               appSleep,
		"playback":            appPlayback,
		"say":                 appPrompt,
		"phrase":              appPrompt,
		"speak":               appPrompt,
		"record":              appRecord,
		"transfer":            appTransfer,
		"bridge":              appBridge,
		"play_and_get_digits": appPlayAndGetDigits,
		"read":                appRead,
	} {
		s.apps[name] = fn
	}
}

// appSet is set/export: "name=value".
func appSet(x *Exec) string {
	name, value, _ := strings.Cut(x.Args, "=")
	x.Call.SetVar(strings.TrimSpace(name), value)
	return ""
}

func appSleep(x *Exec) string {
	ms, _ := strconv.Atoi(strings.TrimSpace(x.Args))
	x.Sleep(time.Duration(ms) * time.Millisecond)
	return ""
}

// promptTime is how long a prompt plays: silence_stream://N plays N ms,
// anything else is instantaneous.
func promptTime(file string) time.Duration {
	if rest, ok := strings.CutPrefix(file, "silence_stream://"); ok {
		ms, _ := strconv.Atoi(strings.SplitN(rest, ",", 2)[0])
		return time.Duration(ms) * time.Millisecond
	}
	return 0
}

// appPlayback plays for promptTime; a queued digit in playback_terminators
// (default "*") stops it, as FreeSWITCH's playback does.
func appPlayback(x *Exec) string {
	c := x.Call
	term := c.Var("playback_terminators")
	if term == "" {
		term = "*"
	}
	c.SetVar("playback_terminator_used", "")
	deadline := time.Now().Add(c.s.opts.scale(promptTime(x.Args)))
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return "FILE PLAYED"
		}
		switch x.wait(time.Duration(float64(left)/c.s.opts.TimeScale), term != "none") {
		case waitDigit:
			if d, ok := c.popDigit(); ok {
				c.fireDTMF(d)
				if strings.ContainsRune(term, d) {
					c.SetVar("playback_terminator_used", string(d))
					return "FILE PLAYED"
				}
			}
		case waitHangup, waitBreak:
			return "FILE PLAYED"
		default:
			return "FILE PLAYED"
		}
	}
}

func appPrompt(x *Exec) string {
	x.Sleep(promptTime(x.Args))
	return "FILE PLAYED"
}

// appRecord: "path [time_limit_secs]". Recording stops at a digit, the
// limit, hangup or break.
func appRecord(x *Exec) string {
	f := strings.Fields(x.Args)
	limit := 0
	if len(f) > 1 {
		limit, _ = strconv.Atoi(f[1])
	}
	d := time.Duration(limit) * time.Second
	if limit <= 0 {
		d = time.Hour
	}
	start := time.Now()
	if x.wait(d, true) == waitDigit {
		if dg, ok := x.Call.popDigit(); ok {
			x.Call.fireDTMF(dg)
		}
	}
	ms := time.Since(start).Milliseconds()
	if len(f) > 0 {
		x.Call.SetVar("record_file_path", f[0])
	}
	x.Call.SetVar("record_ms", strconv.FormatInt(ms, 10))
	return "success"
}

// appTransfer: "dest [dialplan [context]]".
func appTransfer(x *Exec) string {
	if f := strings.Fields(x.Args); len(f) > 0 {
		x.Call.transfer(f[0])
	}
	return ""
}

// appBridge fails with the cause of a FailDial rule matching the dial
// string, else fires CHANNEL_BRIDGE/CHANNEL_UNBRIDGE and returns (hanging
// up if hangup_after_bridge=true).
func appBridge(x *Exec) string {
	c := x.Call
	if cause := c.s.dialFailure(x.Args); cause != "" {
		c.SetVar("originate_disposition", cause)
		c.SetVar("last_bridge_hangup_cause", cause)
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
