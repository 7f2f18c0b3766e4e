package esl

import (
	"strings"
	"testing"
)

// TestFindHeaderExactBeforeFolded checks the lookup order of plain headers:
// the first exact-case line wins even after a case-insensitive one, the
// first case-insensitive line otherwise, whichever case the anchor byte has
// on that line; a name on the first line is found without a scan.
func TestFindHeaderExactBeforeFolded(t *testing.T) {
	block := "Event-Name: A\n" +
		"unique-id: folded-lower\n" +
		"UNIQUE-ID: folded-upper\n" +
		"Unique-ID: exact\n" +
		"Unique-ID: second\n" +
		"X-Seq: 1\n" +
		"x-seq: 2\n" +
		"EVENT-SEQUENCE: up\n" +
		"event-sequence: low\n" +
		"variable_a_q: last\n"
	ev := parsePlain([]byte(block), true)
	for name, want := range map[string]string{
		"Event-Name":     "A",
		"event-name":     "A",
		"Unique-ID":      "exact",
		"unique-ID":      "folded-lower",
		"X-Seq":          "1",
		"x-seq":          "2",
		"X-SEQ":          "1",
		"Event-Sequence": "up",
		"variable_a_q":   "last",
		"VARIABLE_A_Q":   "last",
	} {
		if got, ok := ev.Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"Unique", "Name", "variable_a", "vent-Name", "X-Absent"} {
		if got, ok := ev.Lookup(name); ok {
			t.Errorf("Lookup(%q) = %q, want absent", name, got)
		}
	}
}

// TestFindHeaderMatchesReference compares findHeader with a line-by-line
// reference on every header name (and its case variants) of the captured
// plain events.
func TestFindHeaderMatchesReference(t *testing.T) {
	for _, data := range fsFixtures(t) {
		_ = NewParser(0).Feed(data, func(f *Frame) error {
			if f.ContentType() != TypeEventPlain {
				return nil
			}
			ev := parsePlain(f.Clone().Body, false)
			h := ev.s[:ev.hend]
			for _, sp := range ev.index() {
				n := h[sp.n0:sp.n1]
				for _, name := range []string{n, strings.ToLower(n), strings.ToUpper(n)} {
					if got, want := findHeader(h, name), refFindHeader(h, name); got != want {
						t.Fatalf("findHeader(%q) = %d, reference %d", name, got, want)
					}
				}
			}
			return nil
		})
	}
}

// refFindHeader is the obvious forward search: the first exact line, else
// the first case-insensitive one.
func refFindHeader(h, name string) int {
	folded := -1
	for off := 0; off < len(h); {
		end := strings.IndexByte(h[off:], '\n')
		if end < 0 {
			end = len(h)
		} else {
			end += off
		}
		if n, _, ok := strings.Cut(h[off:end], ":"); ok && end > off+len(name) {
			if n == name {
				return off
			}
			if folded < 0 && strings.EqualFold(n, name) {
				folded = off
			}
		}
		off = end + 1
	}
	return folded
}
