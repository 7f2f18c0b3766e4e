package esltest

import (
	"regexp"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// filter is one `filter <Header> <value>` entry.
type filter struct {
	header, value string
	re            *regexp.Regexp // compiled when value is /re/flags
}

func newFilter(header, value string) filter {
	f := filter{header: header, value: value}
	if strings.HasPrefix(value, "/") {
		f.re = compileSlashRegex(value)
	}
	return f
}

// compileSlashRegex compiles "/re/flags" (flag i supported); nil if invalid.
func compileSlashRegex(v string) *regexp.Regexp {
	body := v[1:]
	flags := ""
	if i := strings.LastIndex(body, "/"); i >= 0 {
		body, flags = body[:i], body[i+1:]
	}
	if strings.Contains(flags, "i") {
		body = "(?i)" + body
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil
	}
	return re
}

// passFilters is event_handler's filter pass: with no filters everything
// passes; otherwise a positive match is needed and a negative match vetoes.
func passFilters(fs []filter, ev *esl.Event) bool {
	if len(fs) == 0 {
		return true
	}
	send := false
	for _, f := range fs {
		hval, ok := ev.Lookup(f.header)
		if !ok {
			continue
		}
		cmp, pos := strings.TrimLeft(f.value, "+- "), filterPositive(f.value)
		if send && pos {
			continue
		}
		if filterMatch(f, hval, cmp) {
			if !pos {
				return false
			}
			send = true
		}
	}
	return send
}

// filterPositive reads the leading +/- signs (the last one wins).
func filterPositive(v string) bool {
	pos := true
	for _, c := range v {
		switch c {
		case '+':
			pos = true
		case '-':
			pos = false
		case ' ':
		default:
			return pos
		}
	}
	return pos
}

func filterMatch(f filter, hval, cmp string) bool {
	if f.re != nil {
		return f.re.MatchString(hval)
	}
	if strings.HasPrefix(f.value, "/") {
		return false // invalid regex never matches
	}
	return strings.EqualFold(hval, cmp)
}

// deleteFilters removes filters of header (all if value is "", else only
// that value); header "all" clears everything.
func deleteFilters(fs []filter, header, value string) []filter {
	if strings.EqualFold(header, "all") {
		return nil
	}
	out := fs[:0]
	for _, f := range fs {
		if strings.EqualFold(f.header, header) && (value == "" || f.value == value) {
			continue
		}
		out = append(out, f)
	}
	return out
}
