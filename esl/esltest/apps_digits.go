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

// collect plays the prompt and collects digits for one try. It returns the
// digits and the terminator used; ok is false on hangup.
func (x *Exec) collect(sp digitSpec) (digits, term string, ok bool) {
	if promptTime(sp.file) > 0 {
		x.Sleep(promptTime(sp.file))
	}
	wait := sp.timeout
	for len(digits) < sp.max {
		d, got := x.ReadDigit(wait)
		if !got {
			return digits, "", x.Call.Up()
		}
		if sp.terminators != "none" && strings.ContainsRune(sp.terminators, d) {
			return digits, string(d), true
		}
		digits += string(d)
		wait = sp.digitTimeout
	}
	return digits, "", true
}

func (sp digitSpec) valid(digits string) bool {
	if len(digits) < sp.min {
		return false
	}
	return sp.re == nil || sp.re.MatchString(digits)
}

// appPlayAndGetDigits: "min max tries timeout terminators file invalid_file
// var_name regexp digit_timeout transfer_on_failure", split like
// FreeSWITCH (” is an empty argument, quotes group words).
func appPlayAndGetDigits(x *Exec) string {
	a := x.argv(11)
	if len(a) == 0 {
		return ""
	}
	sp := parsePAGD(a)
	c := x.Call
	for try := 0; try < sp.tries; try++ {
		digits, term, ok := x.collect(sp)
		if !ok {
			return ""
		}
		c.SetVar("read_terminator_used", term)
		if sp.valid(digits) {
			c.SetVar(sp.varName, digits)
			return ""
		}
		if digits != "" {
			c.SetVar(sp.varName+"_invalid", digits)
		}
		if promptTime(sp.invalid) > 0 {
			x.Sleep(promptTime(sp.invalid))
		}
	}
	c.SetVar(sp.varName, "")
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
// (min >= 1). Sets var_name and read_result (success, timeout or
// failure).
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
	digits, term, ok := x.collect(sp)
	if !ok {
		return ""
	}
	result := "success"
	switch {
	case digits == "" && term == "":
		result = "timeout"
	case len(digits) < sp.min:
		result = "failure"
	}
	x.Call.SetVar("read_terminator_used", term)
	x.Call.SetVar(sp.varName, digits)
	x.Call.SetVar("read_result", result)
	return ""
}
