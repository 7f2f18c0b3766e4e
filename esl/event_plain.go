package esl

import "strings"

// parsePlain wraps a text/event-plain body (or, with headersOnly, a bare
// header block). Nothing is scanned or allocated until a header is read:
// an LF-framed event even locates its body only when something needs it
// (see ensureSplit).
func parsePlain(data []byte, headersOnly bool) *Event {
	e := new(Event)
	e.initPlain(data, headersOnly)
	return e
}

// initPlain is parsePlain into e, which must be zero.
func (e *Event) initPlain(data []byte, headersOnly bool) {
	e.format, e.s, e.skipA, e.skipB = FormatPlain, bytesView(data), -1, -1
	e.hend = len(e.s)
	switch {
	case headersOnly:
	case strings.HasPrefix(e.s, "\n") || crlfFirstLine(e.s):
		e.splitAtBlankLine()
	default:
		e.lazy = true
	}
}

// splitAtBodyLength finds the body of an LF-framed event the fast way:
// FreeSWITCH writes "Content-Length: N" as the last header line, then a
// blank line and N body bytes. The first "Content-Length:" line followed
// by a blank line is that marker; without one the event has no body and
// all of it is header lines. (This differs from a strict forward parse
// only for text FreeSWITCH never writes: a stray blank line inside the
// headers, or a marker not spelled "Content-Length".)
func (e *Event) splitAtBodyLength() {
	const key, anchor = "Content-Length:", "Length:"
	s := e.s
	for from := 0; ; {
		i := strings.Index(s[from:], anchor)
		if i < 0 {
			return
		}
		i += from
		from = i + 1
		ls := i - (len(key) - len(anchor))
		if ls < 0 || s[ls:i+len(anchor)] != key || (ls > 0 && s[ls-1] != '\n') {
			continue
		}
		eol := strings.IndexByte(s[i:], '\n')
		if eol < 0 {
			return
		}
		if eol += i; eol+1 < len(s) && s[eol+1] == '\n' {
			e.setBody(ls, lineValue(s[:eol], i+len(anchor)), eol+2)
			return
		}
	}
}

// splitAtBlankLine is the strict forward split (used for CRLF text): the
// headers end at the first blank line; a last header line Content-Length
// describes the body after it.
func (e *Event) splitAtBlankLine() {
	end, bodyAt := findBlankLine(e.s)
	e.hend = end
	if bodyAt < 0 || end == 0 {
		return
	}
	ls := strings.LastIndexByte(e.s[:end-1], '\n') + 1
	name, val, ok := cutHeader(e.s[ls:end])
	if ok && strings.EqualFold(name, "Content-Length") {
		e.setBody(ls, val, bodyAt)
	}
}

// setBody records a body marker line starting at ls with value val; the
// body starts at bodyAt. The marker is not one of the event's headers.
func (e *Event) setBody(ls int, val string, bodyAt int) {
	e.hend = ls
	rest := e.s[bodyAt:]
	if n, ok := atoiLimit(val, len(rest)); ok {
		rest = rest[:n]
	}
	e.body = rest
}

// findBlankLine returns the end of the header lines (just past the last
// header's '\n') and the start of what follows the blank line (-1 when
// there is no blank line: then the whole text is headers).
func findBlankLine(s string) (end, bodyAt int) {
	switch {
	case strings.HasPrefix(s, "\n"):
		return 0, 1
	case strings.HasPrefix(s, "\r\n"):
		return 0, 2
	}
	i := strings.Index(s, "\n\n")
	if crlfFirstLine(s) {
		if j := strings.Index(s, "\n\r\n"); j >= 0 && (i < 0 || j < i) {
			return j + 1, j + 3
		}
	}
	if i < 0 {
		return len(s), -1
	}
	return i + 1, i + 2
}

func crlfFirstLine(s string) bool {
	i := strings.IndexByte(s, '\n')
	return i > 0 && s[i-1] == '\r'
}

// atoiLimit parses a decimal, capping it at limit. ok is false for
// anything that is not a plain non-negative number.
func atoiLimit(s string, limit int) (int, bool) {
	s = strings.TrimRight(s, " \t")
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n = n*10 + int(c-'0'); n > limit {
			n = limit
		}
	}
	return n, true
}

// cutHeader splits "Name: value[\r][\n]".
func cutHeader(line string) (name, value string, ok bool) {
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	name, value, ok = strings.Cut(line, ":")
	return name, strings.TrimLeft(value, " \t"), ok
}

// plainLookup finds the first header called name in the header lines,
// exact case first, then ASCII case-insensitive. Only the value found is
// decoded.
func (e *Event) plainLookup(name string) (string, bool) {
	if name == "" || hasByte2(name, ':', '\n') {
		return "", false
	}
	if e.lazy && !strings.EqualFold(name, "Content-Length") {
		if v, ok, sure := e.lazyLookup(name); sure {
			return v, ok
		}
	}
	e.ensureSplit()
	h := e.s[:e.hend]
	i := findHeader(h, name)
	if i < 0 {
		return "", false
	}
	return URLDecode(lineValue(h, i+len(name)+1)), true
}

// lineValue returns the value starting at h[k] (after the colon): leading
// spaces skipped, up to the end of the line, without a CR.
func lineValue(h string, k int) string {
	for k < len(h) && (h[k] == ' ' || h[k] == '\t') {
		k++
	}
	end := strings.IndexByte(h[k:], '\n')
	if end < 0 {
		end = len(h)
	} else {
		end += k
	}
	if end > k && h[end-1] == '\r' {
		end--
	}
	return h[k:end]
}

// plainIndex locates every header line.
func (e *Event) plainIndex() []span {
	e.ensureSplit()
	h := e.s[:e.hend]
	idx := make([]span, 0, strings.Count(h, "\n")+1)
	for off := 0; off < len(h); {
		end := strings.IndexByte(h[off:], '\n')
		if end < 0 {
			end = len(h)
		} else {
			end += off
		}
		if c := strings.IndexByte(h[off:end], ':'); c >= 0 {
			idx = append(idx, lineSpan(h, off, off+c, end))
		}
		off = end + 1
	}
	return idx
}

// lineSpan locates the name h[off:colon] and the value of the line that
// ends at h[end].
func lineSpan(h string, off, colon, end int) span {
	v0 := colon + 1
	for v0 < end && (h[v0] == ' ' || h[v0] == '\t') {
		v0++
	}
	v1 := end
	if v1 > v0 && h[v1-1] == '\r' {
		v1--
	}
	return span{n0: off, n1: colon, v0: v0, v1: v1}
}
