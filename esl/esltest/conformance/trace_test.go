package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// trace is what a scenario observed on one target, one line per fact.
type trace struct {
	lines  []string
	redact []string // old, new pairs applied to every line
}

// Add records one observation.
func (tr *trace) Add(format string, args ...any) {
	tr.lines = append(tr.lines, strings.NewReplacer(tr.redact...).Replace(fmt.Sprintf(format, args...)))
}

// Redact replaces what differs between runs (addresses, uuids) by a name
// in the lines added afterwards.
func (tr *trace) Redact(old, name string) {
	if old != "" {
		tr.redact = append(tr.redact, old, name)
	}
}

// Events records one line per event (see describe), under a label.
func (tr *trace) Events(label string, evs []*esl.Event) {
	for _, ev := range evs {
		tr.Add("%s: %s", label, describe(ev))
	}
}

// describe is an event's name with what identifies it: the application
// (and, at completion, its response), the hangup cause, the digit.
func describe(ev *esl.Event) string {
	s := ev.Name()
	switch s {
	case "CHANNEL_EXECUTE":
		s += " " + ev.Get("Application") + "(" + ev.Get("Application-Data") + ")"
	case "CHANNEL_EXECUTE_COMPLETE":
		s += " " + ev.Get("Application") + "(" + ev.Get("Application-Data") + ") -> " + ev.Get("Application-Response")
	case "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE":
		s += " " + ev.Get("Hangup-Cause")
	case "DTMF":
		s += " " + ev.Get("DTMF-Digit")
	case "CHANNEL_STATE":
		s += " " + ev.Get("Channel-State")
	case "CHANNEL_CALLSTATE":
		s += " " + ev.Get("Channel-Call-State")
	}
	return s
}

// only keeps the events whose names are listed.
func only(evs []*esl.Event, names ...string) []*esl.Event {
	var out []*esl.Event
	for _, ev := range evs {
		for _, n := range names {
			if ev.Name() == n {
				out = append(out, ev)
				break
			}
		}
	}
	return out
}

// scenario is one conformance case: run performs the same steps on any
// target and records what it observed.
type scenario struct {
	name string
	run  func(t *testing.T, tg target, tr *trace)
}

var scenarios []scenario

// TestConformance runs every scenario on the real FreeSWITCH and on the
// simulator, then compares the two traces line by line.
func TestConformance(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			var got [2]*trace
			for i, mk := range []func(*testing.T) target{newReal, newSim} {
				t.Run([]string{"real", "sim"}[i], func(t *testing.T) {
					tr := &trace{}
					sc.run(t, mk(t), tr)
					got[i] = tr
					t.Logf("trace:\n  %s", strings.Join(tr.lines, "\n  "))
				})
			}
			t.Run("compare", func(t *testing.T) {
				if got[0] == nil || got[1] == nil {
					t.Fatal("a target did not complete the scenario")
				}
				if d := diff(got[0].lines, got[1].lines); d != "" {
					t.Errorf("simulator differs from FreeSWITCH (- real, + sim):\n%s", d)
				}
			})
		})
	}
}

// diff lists the lines that differ, aligned by a longest common
// subsequence; "" when equal.
func diff(a, b []string) string {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	same := true
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out.WriteString("    " + a[i] + "\n")
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out.WriteString("  + " + b[j] + "\n")
			same = false
			j++
		default:
			out.WriteString("  - " + a[i] + "\n")
			same = false
			i++
		}
	}
	if same {
		return ""
	}
	return out.String()
}
