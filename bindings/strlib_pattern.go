package bindings

// Lua 5.1 patterns (reference manual §5.4.1), matched by backtracking with
// a step counter: every patCheckEvery steps the matcher asks stop whether
// the run's budget is spent, so that no pattern can hold a worker past it.
// gopher-lua's own matcher cannot be interrupted and recurses once per
// subject byte under '*'; this one recurses once per pattern item.
//
// Beyond the 5.1 manual, %f[set] (frontier, as documented from Lua 5.2)
// is supported, and backtracking nests at most patMaxDepth items deep
// ("pattern too complex", as from Lua 5.2), which bounds the Go stack.

const (
	patMaxCaptures = 32   // captures per pattern, as in Lua
	patMaxDepth    = 200  // nested backtracking points before "pattern too complex"
	patCheckEvery  = 1024 // steps between two calls of stop

	capUnfinished = -1 // capture opened, not closed yet
	capPosition   = -2 // position capture "()"
)

// patCapture is one capture: a byte offset and a length (or capUnfinished,
// capPosition).
type patCapture struct{ start, len int }

// patError is a malformed pattern; the string functions raise it.
type patError struct{ msg string }

// patStopped carries the error stop returned.
type patStopped struct{ err error }

// patMatcher matches one pattern against one subject. It is not reusable
// across goroutines.
type patMatcher struct {
	src, pat string
	level    int // captures opened so far
	caps     [patMaxCaptures]patCapture
	depth    int
	left     int          // steps before the next call of stop
	stop     func() error // nil: never stopped
}

func newPatMatcher(src, pat string, stop func() error) *patMatcher {
	return &patMatcher{src: src, pat: pat, stop: stop, left: patCheckEvery}
}

// fail raises a malformed-pattern error.
func (m *patMatcher) fail(msg string) { panic(patError{msg}) }

// step counts one unit of work and polls stop every patCheckEvery units.
func (m *patMatcher) step() { m.stepN(1) }

// stepN counts n units of work (a comparison of 64 bytes is one).
func (m *patMatcher) stepN(n int) {
	m.left -= n
	if m.left > 0 {
		return
	}
	m.left = patCheckEvery
	if m.stop != nil {
		if err := m.stop(); err != nil {
			panic(patStopped{err})
		}
	}
}

// at tries the pattern from pattern offset p at subject offset s, with no
// captures yet; it returns the end of the match or -1.
func (m *patMatcher) at(s, p int) int {
	m.level, m.depth = 0, 0
	return m.match(s, p)
}

// match matches pat[p:] against src[s:] and returns the end of the match
// or -1. Single items are consumed in a loop; only items that may have to
// be undone (quantifiers, captures) recurse.
func (m *patMatcher) match(s, p int) int {
	m.depth++
	if m.depth > patMaxDepth {
		m.fail("pattern too complex")
	}
	r := m.matchSeq(s, p)
	m.depth--
	return r
}

func (m *patMatcher) matchSeq(s, p int) int {
	for {
		m.step()
		if p == len(m.pat) {
			return s
		}
		switch m.pat[p] {
		case '(':
			if p+1 < len(m.pat) && m.pat[p+1] == ')' {
				return m.openCapture(s, p+2, capPosition)
			}
			return m.openCapture(s, p+1, capUnfinished)
		case ')':
			return m.closeCapture(s, p+1)
		case '$':
			if p+1 == len(m.pat) {
				if s == len(m.src) {
					return s
				}
				return -1
			}
		case '%':
			if ns, np, handled := m.escape(s, p); handled {
				if ns < 0 {
					return -1
				}
				s, p = ns, np
				continue
			}
		}
		ns, np, done := m.item(s, p)
		if done {
			return ns
		}
		s, p = ns, np
	}
}

// escape handles %b, %f and back-references at p; handled is false for
// any other escape (a character class). It returns the new positions, or
// ns = -1 when the item does not match.
func (m *patMatcher) escape(s, p int) (ns, np int, handled bool) {
	if p+1 >= len(m.pat) {
		return 0, 0, false // classEnd reports the malformed pattern
	}
	switch c := m.pat[p+1]; {
	case c == 'b':
		return m.balance(s, p+2), p + 4, true
	case c == 'f':
		return m.frontier(s, p+2)
	case c >= '0' && c <= '9':
		return m.backref(s, c), p + 2, true
	}
	return 0, 0, false
}

// item matches the single character class at p with its optional
// quantifier. done is set when the rest of the pattern was matched
// (recursively) and ns is the final result.
func (m *patMatcher) item(s, p int) (ns, np int, done bool) {
	ep := m.classEnd(p)
	ok := s < len(m.src) && m.single(m.src[s], p, ep)
	if ep < len(m.pat) {
		switch m.pat[ep] {
		case '?':
			if ok {
				if r := m.match(s+1, ep+1); r >= 0 {
					return r, 0, true
				}
			}
			return s, ep + 1, false
		case '*':
			return m.longest(s, p, ep), 0, true
		case '+':
			if !ok {
				return -1, 0, true
			}
			return m.longest(s+1, p, ep), 0, true
		case '-':
			return m.shortest(s, p, ep), 0, true
		}
	}
	if !ok {
		return -1, 0, true
	}
	return s + 1, ep, false
}

// longest matches as many characters of the class pat[p:ep] as it can,
// then gives them back one by one until the rest matches.
func (m *patMatcher) longest(s, p, ep int) int {
	n := 0
	for s+n < len(m.src) && m.single(m.src[s+n], p, ep) {
		n++
		m.step()
	}
	for ; n >= 0; n-- {
		if r := m.match(s+n, ep+1); r >= 0 {
			return r
		}
	}
	return -1
}

// shortest tries the rest first, taking one more character of the class
// each time it fails.
func (m *patMatcher) shortest(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r >= 0 {
			return r
		}
		if s >= len(m.src) || !m.single(m.src[s], p, ep) {
			return -1
		}
		s++
	}
}

func (m *patMatcher) openCapture(s, p, what int) int {
	if m.level >= patMaxCaptures {
		m.fail("too many captures")
	}
	m.caps[m.level] = patCapture{start: s, len: what}
	m.level++
	r := m.match(s, p)
	if r < 0 {
		m.level--
	}
	return r
}

func (m *patMatcher) closeCapture(s, p int) int {
	l := m.lastOpen()
	m.caps[l].len = s - m.caps[l].start
	r := m.match(s, p)
	if r < 0 {
		m.caps[l].len = capUnfinished
	}
	return r
}

// lastOpen is the innermost capture still open.
func (m *patMatcher) lastOpen() int {
	for l := m.level - 1; l >= 0; l-- {
		if m.caps[l].len == capUnfinished {
			return l
		}
	}
	m.fail("invalid pattern capture")
	return 0
}

// balance matches %bxy (pattern offset p at x).
func (m *patMatcher) balance(s, p int) int {
	if p+1 >= len(m.pat) {
		m.fail("unbalanced pattern")
	}
	open, closer := m.pat[p], m.pat[p+1]
	if s >= len(m.src) || m.src[s] != open {
		return -1
	}
	depth := 1
	for i := s + 1; i < len(m.src); i++ {
		m.step()
		switch m.src[i] {
		case closer:
			if depth--; depth == 0 {
				return i + 1
			}
		case open:
			depth++
		}
	}
	return -1
}

// frontier matches %f[set] (pattern offset p at '['): the position where
// the previous character is not in set and the next one is (the subject's
// ends count as '\0').
func (m *patMatcher) frontier(s, p int) (ns, np int, handled bool) {
	if p >= len(m.pat) || m.pat[p] != '[' {
		m.fail("missing '[' after '%f' in pattern")
	}
	ep := m.classEnd(p)
	var prev, next byte
	if s > 0 {
		prev = m.src[s-1]
	}
	if s < len(m.src) {
		next = m.src[s]
	}
	if m.inSet(prev, p, ep-1) || !m.inSet(next, p, ep-1) {
		return -1, 0, true
	}
	return s, ep, true
}

// backref matches %1-%9: the text of a closed capture again.
func (m *patMatcher) backref(s int, c byte) int {
	l := int(c - '1')
	if l < 0 || l >= m.level || m.caps[l].len == capUnfinished {
		m.fail("invalid capture index")
	}
	cp := m.caps[l]
	if cp.len == capPosition || len(m.src)-s < cp.len {
		return -1
	}
	m.stepN(cp.len >> 6)
	if m.src[s:s+cp.len] != m.src[cp.start:cp.start+cp.len] {
		return -1
	}
	return s + cp.len
}

// classEnd returns the offset just past the single character class at p.
func (m *patMatcher) classEnd(p int) int {
	n := len(m.pat)
	switch m.pat[p] {
	case '%':
		if p+1 >= n {
			m.fail("malformed pattern (ends with '%')")
		}
		return p + 2
	case '[':
		p++
		if p < n && m.pat[p] == '^' {
			p++
		}
		for first := true; ; first = false {
			if p >= n {
				m.fail("malformed pattern (missing ']')")
			}
			if m.pat[p] == ']' && !first {
				return p + 1
			}
			if m.pat[p] == '%' {
				p++
				if p >= n {
					m.fail("malformed pattern (missing ']')")
				}
			}
			p++
		}
	}
	return p + 1
}

// single reports whether c belongs to the class pat[p:ep].
func (m *patMatcher) single(c byte, p, ep int) bool {
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return classMatch(c, m.pat[p+1])
	case '[':
		return m.inSet(c, p, ep-1)
	}
	return m.pat[p] == c
}

// inSet reports whether c is in the set pat[p:ec+1] (p at '[', ec at its
// closing ']').
func (m *patMatcher) inSet(c byte, p, ec int) bool {
	p++
	in := true
	if m.pat[p] == '^' {
		in = false
		p++
	}
	for ; p < ec; p++ {
		switch {
		case m.pat[p] == '%':
			p++
			if classMatch(c, m.pat[p]) {
				return in
			}
		case p+2 < ec && m.pat[p+1] == '-':
			if m.pat[p] <= c && c <= m.pat[p+2] {
				return in
			}
			p += 2
		case m.pat[p] == c:
			return in
		}
	}
	return !in
}

// classMatch reports whether c belongs to the class %cl; an upper-case
// class letter is the complement, any other character stands for itself.
func classMatch(c, cl byte) bool {
	var in bool
	switch cl | 0x20 {
	case 'a':
		in = isAlpha(c)
	case 'c':
		in = c < 0x20 || c == 0x7f
	case 'd':
		in = isDigit(c)
	case 'l':
		in = 'a' <= c && c <= 'z'
	case 'p':
		in = isPunct(c)
	case 's':
		in = c == ' ' || ('\t' <= c && c <= '\r')
	case 'u':
		in = 'A' <= c && c <= 'Z'
	case 'w':
		in = isAlpha(c) || isDigit(c)
	case 'x':
		in = isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
	case 'z':
		in = c == 0
	default:
		return cl == c
	}
	if 'A' <= cl && cl <= 'Z' {
		return !in
	}
	return in
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isPunct is C's ispunct: printable, not a letter, digit or space.
func isPunct(c byte) bool { return c > ' ' && c < 0x7f && !isAlpha(c) && !isDigit(c) }

// patSpecials are the characters that make a pattern more than plain text.
const patSpecials = "^$*+?.([%-"

// patHasSpecials reports whether pat needs the matcher (else a plain
// substring search gives the same result).
func patHasSpecials(pat string) bool {
	for i := 0; i < len(pat); i++ {
		for j := 0; j < len(patSpecials); j++ {
			if pat[i] == patSpecials[j] {
				return true
			}
		}
	}
	return false
}
