package esltest

import (
	"strconv"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// args is an application's argument split by separateString.
type args []string

// argv splits the application's argument on blanks like the app's own
// switch_separate_string with an array of n entries.
func (x *Exec) argv(n int) args { return esl.SeparateString(x.Args, ' ', n) }

// at returns argument i, "" when absent.
func (a args) at(i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}

// num returns atoi(argument i), or def when absent.
func (a args) num(i, def int) int {
	if i < len(a) {
		return atoi(a[i])
	}
	return def
}

// atoi is C's atoi: leading blanks, optional sign, digits; 0 otherwise.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// switchTrue is FreeSWITCH's switch_true.
func switchTrue(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "on", "true", "t", "enabled", "active", "allow":
		return true
	}
	n, err := strconv.Atoi(v)
	return err == nil && n != 0
}

// terminators is playback_terminators as dptools' on_dtmf reads it:
// default "*", "any" and "none" spelled out.
func (c *Call) terminators() string {
	t, ok := c.lookupVar("playback_terminators")
	switch {
	case !ok:
		return "*"
	case strings.EqualFold(t, "any"):
		return "1234567890*#"
	case strings.EqualFold(t, "none"):
		return ""
	}
	return t
}

// mediaWait waits d of simulated time while a media application runs
// with dptools' on_dtmf callback: every queued digit is dequeued (firing
// its DTMF event) and one in playback_terminators ends the wait, setting
// playback_terminator_used. It returns false when cut short (terminator,
// hangup or break).
func (x *Exec) mediaWait(d time.Duration) bool {
	c := x.Call
	deadline := time.Now().Add(c.s.opts.scale(d))
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return !x.drainDigits()
		}
		switch x.wait(time.Duration(float64(left)/c.s.opts.TimeScale), digitsInterrupt) {
		case waitTimeout:
			return !x.drainDigits()
		case waitDigit:
			if x.onDTMF() {
				return false
			}
		default:
			return false
		}
	}
}

// drainDigits dequeues, as on_dtmf, the digits still queued when the
// media's time is up, and reports whether one was a terminator. FreeSWITCH
// dequeues a digit per 20 ms frame, so digits queued well before the end
// never outlive the media; the simulator's scaled clock runs on while the
// DTMF events are being fired, so without this a scaled playback would
// end with some of them still queued.
func (x *Exec) drainDigits() bool {
	for x.Call.hasDigit() {
		if x.onDTMF() {
			return true
		}
	}
	return false
}

// onDTMF dequeues a digit and reports whether it is a terminator.
func (x *Exec) onDTMF() bool {
	c := x.Call
	d, ok := c.popDigit()
	if !ok {
		return false
	}
	c.fireDTMF(d)
	if strings.ContainsRune(c.terminators(), d) {
		c.SetVar("playback_terminator_used", string(d))
		return true
	}
	return false
}

// appSleep is dptools' sleep: "ms" (atoi). With sleep_eat_digits true,
// digits are dequeued as DTMF events and only a playback terminator (none
// with playback_terminators=none) ends the sleep; without it, the first
// queued digit ends the sleep and stays queued.
func appSleep(x *Exec) string {
	if strings.TrimSpace(x.Args) == "" {
		return ""
	}
	d := time.Duration(max(atoi(x.Args), 0)) * time.Millisecond
	if switchTrue(x.Call.Var("sleep_eat_digits")) {
		x.Call.SetVar("playback_terminator_used", "")
		x.mediaWait(d)
		return ""
	}
	x.wait(d, digitsInterrupt)
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

// appPlayback plays the file (the whole argument) for promptTime with
// on_dtmf: digits are consumed, a playback terminator (default "*") stops
// it. The response is FILE PLAYED (also when stopped by a terminator or
// uuid_break), FILE NOT FOUND for a missing file (see
// Options.FileExists), PLAYBACK ERROR when the call hung up meanwhile.
func appPlayback(x *Exec) string {
	x.Call.SetVar("playback_terminator_used", "")
	if !x.Call.s.fileExists(x.Args) {
		return "FILE NOT FOUND"
	}
	x.mediaWait(promptTime(x.Args))
	if x.lostMedia() {
		return "PLAYBACK ERROR"
	}
	return "FILE PLAYED"
}

// fileExists reports whether a file to play exists: streams
// (silence_stream://, tone_stream://, say:, phrase:...) always do, files
// as Options.FileExists says (every file without it).
func (s *Server) fileExists(path string) bool {
	if s.opts.FileExists == nil || strings.Contains(path, "://") ||
		strings.HasPrefix(path, "say:") || strings.HasPrefix(path, "phrase:") {
		return true
	}
	return s.opts.FileExists(path)
}

// appSay is "<module>[:<lang>] <type> <method> [<gender>] <text>"; it
// plays instantly and does nothing with a wrong argument count.
func appSay(x *Exec) string {
	if n := len(x.argv(5)); n == 4 || n == 5 {
		x.Call.SetVar("playback_terminator_used", "")
	}
	return ""
}
