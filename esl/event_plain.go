package esl

import "strings"

// parsePlain wraps a text/event-plain body (or, with headersOnly, a bare
// header block). It finds where the headers end and slices out the body;
// nothing else is scanned or allocated until a header is read.
func parsePlain(data []byte, headersOnly bool) *Event {
	e := &Event{format: FormatPlain, s: bytesView(data), skipA: -1, skipB: -1}
	end, bodyAt := findBlankLine(e.s)
	e.hend = end
	if headersOnly || bodyAt < 0 || end == 0 {
		return e
	}
	ls := strings.LastIndexByte(e.s[:end-1], '\n') + 1
	name, val, ok := cutHeader(e.s[ls:end])
	if !ok || !strings.EqualFold(name, "Content-Length") {
		return e
	}
	// The last header line describes the body (FreeSWITCH writes it last):
	// it is not one of the event's headers.
	e.hend = ls
	rest := e.s[bodyAt:]
	if n, ok := atoiLimit(val, len(rest)); ok {
		rest = rest[:n]
	}
	e.body = rest
	return e
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

// plainLookup finds the first header called name in the header lines: an
// exact-case substring search over the raw text, then a case-insensitive
// line scan. Only the value found is decoded.
func (e *Event) plainLookup(name string) (string, bool) {
	if name == "" || strings.ContainsAny(name, ":\n") {
		return "", false
	}
	h := e.s[:e.hend]
	if raw, ok := plainFind(h, name); ok {
		return URLDecode(raw), true
	}
	if raw, ok := plainFoldFind(h, name); ok {
		return URLDecode(raw), true
	}
	return "", false
}

// plainFoldFind is the case-insensitive line scan: only lines with a colon
// right after len(name) bytes are compared.
func plainFoldFind(h, name string) (string, bool) {
	n := len(name)
	for off := 0; off+n < len(h); {
		if h[off+n] == ':' && strings.EqualFold(h[off:off+n], name) {
			return lineValue(h, off+n+1), true
		}
		nl := strings.IndexByte(h[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return "", false
}

// plainFind looks for name at the start of a line, followed by ':'.
func plainFind(h, name string) (string, bool) {
	for from := 0; from < len(h); {
		i := strings.Index(h[from:], name)
		if i < 0 {
			return "", false
		}
		i += from
		j := i + len(name)
		if (i == 0 || h[i-1] == '\n') && j < len(h) && h[j] == ':' {
			return lineValue(h, j+1), true
		}
		from = i + 1
	}
	return "", false
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
