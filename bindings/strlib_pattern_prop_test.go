package bindings

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/yuin/gopher-lua/pm"
)

// patMatch is one match as both matchers report it: the whole match and
// each capture as [start, end) byte offsets, a position capture as
// {pos, -1} (pos 1-based).
type patMatch [][2]int

// oracleFindAll is gopher-lua's pm.Find (the oracle) in our terms.
func oracleFindAll(pat, src string, offset, limit int) (out []patMatch, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pm panicked: %v", r)
		}
	}()
	mds, err := pm.Find(pat, []byte(src), offset, limit)
	if err != nil {
		return nil, err
	}
	for _, md := range mds {
		m := patMatch{{md.Capture(0), md.Capture(1)}}
		for i := 2; i < md.CaptureLength(); i += 2 {
			if md.IsPosCapture(i) {
				m = append(m, [2]int{md.Capture(i), -1})
			} else {
				m = append(m, [2]int{md.Capture(i), md.Capture(i + 1)})
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// ourFindAll runs our matcher the way pm.Find scans: from offset on, at
// most limit matches, a leading '^' anchoring the first attempt.
func ourFindAll(pat, src string, offset, limit int, stop func() error) (out []patMatch, err error) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case patError:
			err = fmt.Errorf("%s", r.msg)
		case patStopped:
			err = r.err
		default:
			panic(r)
		}
	}()
	m := newPatMatcher(src, pat, stop)
	p, anchor := anchored(pat)
	for s := offset; s <= len(src); {
		e := m.at(s, p)
		start := s
		s++
		if e >= 0 {
			s = max(s, e)
			out = append(out, m.found(start, e))
		}
		if len(out) == limit || anchor {
			break
		}
	}
	return out, nil
}

// found lists the match src[s:e] and its captures.
func (m *patMatcher) found(s, e int) patMatch {
	out := patMatch{{s, e}}
	for i := 0; i < m.level; i++ {
		c := m.caps[i]
		if c.len == capPosition {
			out = append(out, [2]int{c.start + 1, -1})
		} else {
			out = append(out, [2]int{c.start, c.start + c.len})
		}
	}
	return out
}

// checkSameAsOracle compares every match of pat in src from offset on.
func checkSameAsOracle(t *testing.T, pat, src string, offset int) {
	t.Helper()
	want, werr := oracleFindAll(pat, src, offset, -1)
	got, gerr := ourFindAll(pat, src, offset, -1, nil)
	if werr != nil || gerr != nil {
		t.Fatalf("pattern %q subject %q: errors: gopher-lua %v, ours %v", pat, src, werr, gerr)
	}
	if len(want) == 0 {
		want = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pattern %q subject %q offset %d:\n ours       %v\n gopher-lua %v", pat, src, offset, got, want)
	}
}

// Our matcher finds exactly what gopher-lua's does (every match from a
// start offset, with captures), on random patterns of the common part of
// the language (see patGen) and random subjects.
func TestPatternMatchesGopherLua(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		pin := make([]byte, 1+rng.IntN(40))
		sin := make([]byte, rng.IntN(24))
		for i := range pin {
			pin[i] = byte(rng.Uint32())
		}
		for i := range sin {
			sin[i] = byte(rng.Uint32())
		}
		src := genSubject(sin)
		checkSameAsOracle(t, genPattern(pin), src, rng.IntN(len(src)+2))
	}
}

// The same property under the fuzzer: the pattern is built from the fuzzed
// choices (so it stays in the common language), the subject is taken as
// is. Seeds are in testdata/fuzz/FuzzPatternMatchesGopherLua.
func FuzzPatternMatchesGopherLua(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7}, "aab(ab)c", 0)
	f.Add([]byte{0, 3, 0, 2, 9, 9, 1, 2}, "((a))b$", 1)
	f.Fuzz(func(t *testing.T, choices []byte, src string, offset int) {
		if len(choices) > 64 || len(src) > 64 {
			return // the matchers are exponential in the worst case
		}
		checkSameAsOracle(t, genPattern(choices), src, max(0, offset)%(len(src)+2))
	})
}

// Any pattern at all: ours never fails other than with a pattern error,
// and where the pattern parses the same in both (it is in the common
// language: recognized by commonPattern), the matches are the same.
func FuzzPatternAny(f *testing.F) {
	for _, p := range []string{"%", "[a", "(()", "%b", "%f[%w]", "a%1", "[%a-z]", "^(a*)$", "%bxy", "[]-]"} {
		f.Add(p, "xaaa(b)y")
	}
	f.Fuzz(func(t *testing.T, pat, src string) {
		if len(pat) > 48 || len(src) > 48 {
			return
		}
		got, err := ourFindAll(pat, src, 0, -1, nil)
		if err != nil || !commonPattern(pat) {
			return
		}
		want, werr := oracleFindAll(pat, src, 0, -1)
		if werr != nil {
			return // pm refuses some patterns Lua accepts (and the reverse)
		}
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("pattern %q subject %q:\n ours       %v\n gopher-lua %v", pat, src, got, want)
		}
	})
}

// commonPattern reports whether pat avoids every construct where pm and
// Lua 5.1 read a pattern differently: %f, %0, a back-reference (its
// capture may be open or a position), a trailing '%', and inside a set an
// escape or a range next to '-'.
func commonPattern(pat string) bool {
	for i := 0; i < len(pat); i++ {
		switch pat[i] {
		case '%':
			if i+1 == len(pat) || pat[i+1] == 'f' || isDigit(pat[i+1]) {
				return false
			}
			i++
		case '[':
			end, ok := commonSet(pat, i)
			if !ok {
				return false
			}
			i = end
		}
	}
	return true
}

// commonSet checks the set starting at pat[i] and returns the offset of
// its closing ']'.
func commonSet(pat string, i int) (int, bool) {
	i++
	if i < len(pat) && pat[i] == '^' {
		i++
	}
	for first := true; i < len(pat); first = false {
		switch c := pat[i]; {
		case c == ']' && !first:
			return i, true
		case c == '%':
			if i+2 >= len(pat) || pat[i+2] == '-' {
				return 0, false
			}
			i += 2
		case c == '-':
			if !first && (i+1 >= len(pat) || pat[i+1] != ']') {
				return 0, false
			}
			i++
		case i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']':
			if pat[i+2] == '%' || pat[i+2] == '-' || (i+3 < len(pat) && pat[i+3] == '-') {
				return 0, false
			}
			i += 3
		default:
			i++
		}
	}
	return 0, false
}
