package esl

import "strings"

// An LF-framed plain event is parsed lazily: its body marker (see
// splitAtBodyLength) is searched for only when the body or the full
// header list is needed. A lookup searches the whole text instead and
// then proves that the line it found lies before the marker, which for
// the headers FreeSWITCH puts first (Event-Name, Unique-ID, ...) costs a
// scan of a short prefix rather than of the whole event.

// bodyAnchor is the rare part of the body marker line "Content-Length:".
const bodyAnchor = "Length:"

// ensureSplit locates the body of a lazily parsed event, once.
func (e *Event) ensureSplit() {
	if e.lazy {
		e.split.Do(e.locateBody)
	}
}

// locateBody finds the body of a lazy plain or JSON event.
func (e *Event) locateBody() {
	if e.format == FormatJSON {
		e.jsonLocateBody()
		return
	}
	e.splitAtBodyLength()
}

// lazyLookup finds name in the whole text of a lazy event. sure is false
// when the line found might lie in the body: the caller then splits.
func (e *Event) lazyLookup(name string) (v string, ok, sure bool) {
	i := findHeader(e.s, name)
	if i < 0 {
		return "", false, true
	}
	if !e.beforeBody(i) {
		return "", false, false
	}
	return URLDecode(lineValue(e.s, i+len(name)+1)), true, true
}

// beforeBody reports whether the line starting at s[i] precedes any body
// marker: no "Length:" occurs before it. A false answer is only "maybe
// not" (a header such as X-Length may hold the anchor). The proven prefix
// is remembered, so successive lookups scan each byte once.
func (e *Event) beforeBody(i int) bool {
	c := int(e.clean.Load())
	if i <= c {
		return true
	}
	from := max(c-len(bodyAnchor)+1, 0)
	if strings.Contains(e.s[from:i], bodyAnchor) {
		return false
	}
	e.clean.Store(int64(i))
	return true
}
