package host

import (
	"fmt"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// Warning is something in a script that loads but is likely wrong, such
// as a handler for an event name FreeSWITCH never sends. `eslscript check`
// prints warnings and the daemon logs them when it loads the scripts.
type Warning struct {
	// File is the script's path.
	File string
	// Line is the line in File, or 0 when unknown.
	Line int
	// Msg says what looks wrong.
	Msg string
}

// String is "FILE:LINE: MSG".
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return w.File + ": " + w.Msg
}

// Warnings returns the warnings of every script of g, in script order.
func (g *Generation) Warnings() []Warning {
	var out []Warning
	for _, s := range g.order {
		out = append(out, s.Warnings...)
	}
	return out
}

// logWarnings logs each warning of g.
func (h *Host) logWarnings(g *Generation) {
	for _, w := range g.Warnings() {
		h.log.Warn("host: script warning: "+w.Msg, "file", w.File, "line", w.Line)
	}
}

// eventKeyProblem says what is wrong with a key of a script's events
// table, or "" when it is "*", a FreeSWITCH event name or a CUSTOM
// subclass in the module::name form.
func eventKeyProblem(key string) string {
	switch {
	case key == "*":
		return ""
	case key == "ALL":
		return `ALL is a subscription, not an event name: no event is named ALL (use "*" for every event)`
	case esl.IsEventName(key):
		return ""
	case strings.Contains(key, "::"):
		return subclassProblem(key)
	case esl.IsEventName(strings.ToUpper(key)):
		return "event names are upper case: " + strings.ToUpper(key)
	case strings.Contains(key, ":"):
		return fmt.Sprintf("a CUSTOM subclass is written with two colons (%q)", strings.Join(strings.FieldsFunc(key, isColon), "::"))
	}
	msg := "not a FreeSWITCH event name"
	if near := nearestEventName(key); near != "" {
		msg += " (did you mean " + near + "?)"
	}
	return msg + `; a CUSTOM subclass is written "module::name"`
}

func isColon(r rune) bool { return r == ':' }

// subclassProblem checks a CUSTOM subclass key: parts around "::" are
// non-empty and hold no space.
func subclassProblem(key string) string {
	for _, part := range strings.Split(key, "::") {
		if part == "" || strings.ContainsAny(part, " \t:") {
			return `not a CUSTOM subclass of the form "module::name"`
		}
	}
	return ""
}

// nearestEventName is the event name closest to key (case-insensitive
// edit distance at most 3), or "".
func nearestEventName(key string) string {
	best, bestD := "", 4
	up := strings.ToUpper(key)
	for _, n := range esl.EventNames() {
		if d := editDistance(up, n); d < bestD && n != "ALL" {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
