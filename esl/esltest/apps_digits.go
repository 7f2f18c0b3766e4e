package esltest

import (
	"regexp"
	"strings"
	"time"
)

// digitSpec is what a digit-collecting application asked for.
type digitSpec struct {
	min, max      int
	tries         int
	timeout       time.Duration // first digit
	digitTimeout  time.Duration // between digits
	terminators   string
	file, invalid string
	varName       string
	re            *regexp.Regexp
}

// readStatus is the outcome of one switch_ivr_read.
type readStatus int

const (
	readSuccess  readStatus = iota
	readTimeout             // the digit timeout ran out
	readTooSmall            // fewer than min digits
	readFailed              // hangup, or the prompt could not play
)

// ivrRead is switch_ivr_read: it clears read_result and the variable,
// pre-answers, plays the prompt (a digit cuts it short and counts), then
// collects up to max digits until a terminator or a timeout. It sets
// read_terminator_used (only when a terminator ended the input),
// read_result (success, timeout or failure; none when the prompt failed)
// and the variable (only to non-empty digits).
func (x *Exec) ivrRead(sp digitSpec) (digits string, st readStatus) {
	c := x.Call
	c.SetVar("read_result", "")
	if sp.varName != "" {
		c.SetVar(sp.varName, "")
	}
	c.preAnswer()
	if !x.playPrompt(sp.file) {
		return "", readFailed
	}
	term := ""
	digits, term, st = x.collectDigits(sp)
	if term != "" {
		c.SetVar("read_terminator_used", term)
	}
	if sp.min > 0 && len(digits) < sp.min {
		st = readTooSmall
	}
	c.SetVar("read_result", [...]string{"success", "timeout", "failure", "failure"}[st])
	if sp.varName != "" && digits != "" {
		c.SetVar(sp.varName, digits)
	}
	return digits, st
}

// playPrompt plays a digit prompt for promptTime, stopping at the first
// digit (left queued for collectDigits). It reports false when the
// prompt is a missing file or the call hung up.
func (x *Exec) playPrompt(file string) bool {
	if file == "" || strings.EqualFold(file, "silence") {
		return true
	}
	if !x.Call.s.fileExists(file) {
		return false
	}
	if d := promptTime(file); d > 0 {
		return x.wait(d, digitsInterrupt) != waitHangup
	}
	return !x.lostMedia()
}

// collectDigits is switch_ivr_collect_digits_count: digits until max, a
// terminator (returned apart) or a timeout (the first digit's, then the
// inter-digit one).
func (x *Exec) collectDigits(sp digitSpec) (digits, term string, st readStatus) {
	wait := sp.timeout
	for len(digits) < sp.max {
		d, got := x.ReadDigit(wait)
		if !got {
			if x.lostMedia() {
				return digits, "", readFailed
			}
			return digits, "", readTimeout
		}
		if sp.terminators != "none" && strings.ContainsRune(sp.terminators, d) {
			return digits, string(d), readSuccess
		}
		digits += string(d)
		wait = sp.digitTimeout
	}
	return digits, "", readSuccess
}

// lostMedia reports whether the call hung up or its far end went away.
func (x *Exec) lostMedia() bool {
	c := x.Call
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.down || c.farCause != ""
}

// appPlayAndGetDigits: "min max tries timeout terminators file invalid_file
// var_name regexp digit_timeout transfer_on_failure", split like
// FreeSWITCH (” is an empty argument, quotes group words); it runs
// switch_play_and_get_digits (transfer_on_failure is not simulated).
func appPlayAndGetDigits(x *Exec) string {
	a := x.argv(11)
	if len(a) == 0 {
		return ""
	}
	sp := parsePAGD(a)
	c := x.Call
	if sp.re != nil {
		c.SetVar(sp.varName+"_invalid", "")
	}
	for try := 0; try < sp.tries && !x.lostMedia(); try++ {
		digits, st := x.ivrRead(sp)
		if st == readTimeout && len(digits) >= sp.min {
			st = readSuccess
		}
		if sp.min == 0 && digits == "" && c.Var("read_terminator_used") != "" {
			return ""
		}
		if st == readSuccess && digits != "" {
			if sp.re == nil || sp.re.MatchString(digits) {
				return ""
			}
			c.SetVar(sp.varName, "")
			c.SetVar(sp.varName+"_invalid", digits)
		}
		if x.lostMedia() {
			break
		}
		x.playPrompt(sp.invalid)
	}
	return ""
}

// parsePAGD reads the app's 11 separated arguments with dptools'
// clamps: min >= 0, max >= min, timeout >= 1000 ms, terminators default
// "#", digit_timeout 0 = timeout.
func parsePAGD(a args) digitSpec {
	sp := digitSpec{
		min: max(a.num(0, 0), 0), tries: max(a.num(2, 1), 1),
		timeout:     clampTimeout(a.num(3, 1000)),
		terminators: a.at(4), file: a.at(5), invalid: a.at(6), varName: a.at(7),
	}
	sp.max = max(a.num(1, 0), sp.min, 1)
	sp.digitTimeout = digitTimeout(a.num(9, 0), sp.timeout)
	if sp.terminators == "" {
		sp.terminators = "#"
	}
	if sp.varName == "" {
		sp.varName = "pagd_input"
	}
	if re := a.at(8); re != "" {
		sp.re, _ = regexp.Compile(re)
	}
	return sp
}

// clampTimeout applies dptools' "timeout <= 1000 means 1000" (ms).
func clampTimeout(ms int) time.Duration {
	return time.Duration(max(ms, 1000)) * time.Millisecond
}

// digitTimeout is the inter-digit timeout: ms, else the first-digit one.
func digitTimeout(ms int, first time.Duration) time.Duration {
	if ms <= 0 {
		return first
	}
	return time.Duration(ms) * time.Millisecond
}

// appRead: "min max file var_name timeout terminators digit_timeout"
// (min >= 1), one switch_ivr_read.
func appRead(x *Exec) string {
	a := x.argv(7)
	if len(a) == 0 {
		return ""
	}
	sp := digitSpec{min: max(a.num(0, 0), 1), tries: 1, timeout: clampTimeout(a.num(4, 1000)),
		terminators: a.at(5), file: a.at(2), varName: a.at(3)}
	sp.max = max(a.num(1, 0), sp.min)
	sp.digitTimeout = digitTimeout(a.num(6, 0), sp.timeout)
	if sp.terminators == "" {
		sp.terminators = "#"
	}
	x.ivrRead(sp)
	return ""
}
