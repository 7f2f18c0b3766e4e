package bindings

import (
	"strings"
)

// patGen writes random Lua patterns from the part of the pattern language
// where gopher-lua's matcher (package pm, the test oracle) follows the
// Lua 5.1 manual. Left out on purpose, because pm differs there (see
// TestPatternsWhereGopherLuaDiffers): %f, a class escape or a range next
// to a '-' inside a set, back-references to unclosed or position
// captures, a pattern ending in '%', and errors (pm reports malformed
// patterns eagerly, Lua only when the matcher reaches them).
//
// The choices come from a byte string, so that the fuzzer can mutate them.
type patGen struct {
	in     []byte
	b      strings.Builder
	caps   int   // captures opened
	closed []int // closed captures that hold text (1-based)
	budget int   // items left
}

// patSubjectBytes are the bytes random subjects are made of.
const patSubjectBytes = "aaaabbbc .-%()[]^$x1\x00\xe9"

func (g *patGen) next(n int) int {
	if len(g.in) == 0 {
		return 0
	}
	c := int(g.in[0])
	g.in = g.in[1:]
	return c % n
}

// pattern returns a pattern made from the choices in in.
func genPattern(in []byte) string {
	g := &patGen{in: in, budget: 8}
	if g.next(4) == 0 {
		g.b.WriteByte('^')
	}
	if g.next(4) == 0 { // a capture seen again: (...).-%1
		g.capture(0)
		if g.next(2) == 0 {
			g.b.WriteString(".-")
		}
		if len(g.closed) > 0 {
			g.b.WriteString("%1")
		}
	}
	g.seq(0)
	if g.next(4) == 0 {
		g.b.WriteByte('$')
	}
	return g.b.String()
}

func (g *patGen) seq(depth int) {
	n := g.next(5)
	if depth == 0 {
		n++ // a top-level pattern has at least one item
	}
	for ; n > 0 && g.budget > 0; n-- {
		g.budget--
		g.item(depth)
	}
}

func (g *patGen) item(depth int) {
	switch g.next(12) {
	case 0, 1:
		if depth < 3 && g.caps < patMaxCaptures {
			g.capture(depth)
			return
		}
	case 2:
		if g.caps < patMaxCaptures {
			g.caps++
			g.b.WriteString("()")
			return
		}
	case 3:
		g.b.WriteString("%b")
		g.b.WriteByte("()ab"[g.next(4)])
		g.b.WriteByte(")(ba"[g.next(4)])
		return
	case 4, 5, 6:
		if len(g.closed) > 0 {
			g.b.WriteByte('%')
			g.b.WriteByte(byte('0' + g.closed[g.next(len(g.closed))]))
			return
		}
	}
	g.single()
	if q := g.next(6); q < 4 {
		g.b.WriteByte("*+-?"[q])
	}
}

func (g *patGen) capture(depth int) {
	g.caps++
	n := g.caps
	g.b.WriteByte('(')
	before := g.b.Len()
	g.seq(depth + 1)
	empty := g.b.Len() == before // "()" is a position capture
	g.b.WriteByte(')')
	if !empty && n <= 9 {
		g.closed = append(g.closed, n)
	}
}

// single writes one character class.
func (g *patGen) single() {
	switch g.next(6) {
	case 0:
		g.b.WriteByte('.')
	case 1:
		g.b.WriteByte('%')
		g.b.WriteByte("acdlpsuwxzACDLPSUWXZ.%-()[]^$q"[g.next(30)])
	case 2:
		g.set()
	default:
		g.b.WriteByte("abcx1 ]"[g.next(7)])
	}
}

// set writes [set] or [^set]: plain characters, ranges of plain
// characters and class escapes, with '-' or ']' first and '-' last only.
func (g *patGen) set() {
	g.b.WriteByte('[')
	if g.next(3) == 0 {
		g.b.WriteByte('^')
	}
	switch g.next(4) {
	case 0:
		g.b.WriteByte(']')
	case 1:
		g.b.WriteByte('-')
	}
	for n := 1 + g.next(3); n > 0; n-- {
		switch g.next(3) {
		case 0:
			g.b.WriteByte('%')
			g.b.WriteByte("adswpx%]-^"[g.next(10)])
		case 1:
			lo := "a0 b"[g.next(4)]
			g.b.WriteByte(lo)
			g.b.WriteByte('-')
			g.b.WriteByte("cz9x"[g.next(4)])
		default:
			g.b.WriteByte("abc.$(1"[g.next(7)])
		}
	}
	if g.next(4) == 0 {
		g.b.WriteByte('-')
	}
	g.b.WriteByte(']')
}

// genSubject returns a subject made from the choices in in; one in three
// repeats itself, for back-references to find something.
func genSubject(in []byte) string {
	b := make([]byte, len(in))
	for i, c := range in {
		b[i] = patSubjectBytes[int(c)%len(patSubjectBytes)]
	}
	if len(in) > 0 && in[0]%3 == 0 {
		return string(b) + string(b)
	}
	return string(b)
}
