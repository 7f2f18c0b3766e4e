package esltest

import (
	"regexp"
	"strconv"
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
// var_name regexp [digit_timeout]".
func appPlayAndGetDigits(x *Exec) string {
	sp := parsePAGD(x.Args)
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

func parsePAGD(args string) digitSpec {
	f := strings.Fields(args)
	get := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	num := func(i, def int) int {
		if n, err := strconv.Atoi(get(i)); err == nil {
			return n
		}
		return def
	}
	sp := digitSpec{
		min: num(0, 0), max: num(1, 128), tries: num(2, 1),
		timeout:     time.Duration(num(3, 5000)) * time.Millisecond,
		terminators: get(4), file: get(5), invalid: get(6), varName: get(7),
	}
	sp.digitTimeout = time.Duration(num(9, num(3, 5000))) * time.Millisecond
	if sp.varName == "" {
		sp.varName = "pagd_input"
	}
	if re := get(8); re != "" {
		sp.re, _ = regexp.Compile(re)
	}
	sp.tries = max(sp.tries, 1)
	sp.max = max(sp.max, 1)
	return sp
}

// appRead: "min max file var_name timeout terminators". Sets var_name and
// read_result (success, timeout or failure).
func appRead(x *Exec) string {
	f := strings.Fields(x.Args)
	get := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	atoi := func(s string, def int) int {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
		return def
	}
	to := time.Duration(atoi(get(4), 5000)) * time.Millisecond
	sp := digitSpec{min: atoi(get(0), 0), max: max(atoi(get(1), 128), 1), tries: 1,
		timeout: to, digitTimeout: to, terminators: get(5), file: get(2), varName: get(3)}
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
