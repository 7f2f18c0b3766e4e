package esl

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small hand-written scanner for the one JSON shape
// FreeSWITCH sends: a flat object whose values are strings or arrays of
// strings (numbers, true, false and null are tolerated as raw text). It
// validates once at parse time and afterwards finds keys by substring
// search, decoding only the value that is read.

// member is one "key": value pair located in the JSON text.
type member struct {
	key    int  // offset of the key's opening quote
	k0, k1 int  // key content
	kesc   bool // key content has backslash escapes
	v0, v1 int  // value token (string with quotes, array with brackets)
}

// parseJSON validates a text/event-json body and locates "_body".
func parseJSON(data []byte) (*Event, error) {
	e := &Event{format: FormatJSON, s: bytesView(data), skipA: -1, skipB: -1}
	e.hend = len(e.s)
	prev := member{key: -1}
	err := jsonWalk(e.s, func(m member) bool {
		if e.skipB < 0 && !m.kesc && e.s[m.k0:m.k1] == "_body" {
			e.skipB = m.key
			e.body = jsonValue(e.s[m.v0:m.v1])
			if prev.key >= 0 && !prev.kesc && e.s[prev.k0:prev.k1] == "Content-Length" {
				e.skipA = prev.key
			}
		}
		prev = m
		return true
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// jsonWalk calls fn for each member of the flat object in s, in order, and
// checks the syntax of the whole text.
func jsonWalk(s string, fn func(member) bool) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return jsonErr("expected '{'", i)
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		return jsonEnd(s, i+1)
	}
	for {
		m, next, err := jsonMember(s, i)
		if err != nil {
			return err
		}
		if !fn(m) {
			return nil
		}
		i = skipWS(s, next)
		if i >= len(s) {
			return jsonErr("unterminated object", i)
		}
		switch s[i] {
		case '}':
			return jsonEnd(s, i+1)
		case ',':
			i = skipWS(s, i+1)
		default:
			return jsonErr("expected ',' or '}'", i)
		}
	}
}

// jsonMember scans `"key" : value` at s[i].
func jsonMember(s string, i int) (member, int, error) {
	m := member{key: i}
	end, esc, ok := scanString(s, i)
	if !ok {
		return m, 0, jsonErr("expected a string key", i)
	}
	m.k0, m.k1, m.kesc = i+1, end-1, esc
	i = skipWS(s, end)
	if i >= len(s) || s[i] != ':' {
		return m, 0, jsonErr("expected ':'", i)
	}
	i = skipWS(s, i+1)
	end, err := scanValue(s, i)
	if err != nil {
		return m, 0, err
	}
	m.v0, m.v1 = i, end
	return m, end, nil
}

// jsonEnd accepts only white space after the object.
func jsonEnd(s string, i int) error {
	if i = skipWS(s, i); i != len(s) {
		return jsonErr("data after the object", i)
	}
	return nil
}

func jsonErr(what string, at int) error {
	return fmt.Errorf("%w: json event: %s at offset %d", ErrMalformed, what, at)
}

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
		i++
	}
	return i
}

// scanString finds the end (just past the closing quote) of the string
// starting at s[i] == '"', and whether it contains escapes.
func scanString(s string, i int) (end int, esc, ok bool) {
	if i >= len(s) || s[i] != '"' {
		return 0, false, false
	}
	j, q := i+1, -1
	for {
		if q < j {
			if q = strings.IndexByte(s[j:], '"'); q < 0 {
				return 0, false, false
			}
			q += j
		}
		b := strings.IndexByte(s[j:q], '\\')
		if b < 0 {
			return q + 1, esc, true
		}
		esc = true
		if j += b + 2; j > len(s) { // skip the backslash and what it escapes
			return 0, false, false
		}
	}
}

// scanValue finds the end of the value token at s[i].
func scanValue(s string, i int) (int, error) {
	if i >= len(s) {
		return 0, jsonErr("expected a value", i)
	}
	switch c := s[i]; {
	case c == '"':
		end, _, ok := scanString(s, i)
		if !ok {
			return 0, jsonErr("unterminated string", i)
		}
		return end, nil
	case c == '[':
		return scanArray(s, i)
	case isLiteralByte(c):
		j := i
		for j < len(s) && isLiteralByte(s[j]) {
			j++
		}
		return j, nil
	}
	return 0, jsonErr("unsupported value", i)
}

// scanArray finds the end of an array of strings (or literals).
func scanArray(s string, i int) (int, error) {
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == ']' {
		return i + 1, nil
	}
	for {
		if i < len(s) && s[i] == '[' {
			return 0, jsonErr("nested array", i)
		}
		end, err := scanValue(s, i)
		if err != nil {
			return 0, err
		}
		i = skipWS(s, end)
		if i >= len(s) {
			return 0, jsonErr("unterminated array", i)
		}
		switch s[i] {
		case ']':
			return i + 1, nil
		case ',':
			i = skipWS(s, i+1)
		default:
			return 0, jsonErr("expected ',' or ']'", i)
		}
	}
}

func isLiteralByte(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || c == '-' || c == '+' || c == '.' || c == 'E'
}

// jsonValue decodes a value token: a string's content, an array as
// FreeSWITCH's "ARRAY::a|:b" form, a literal as its text.
func jsonValue(tok string) string {
	switch {
	case tok == "":
		return ""
	case tok[0] == '"':
		return jsonUnescape(tok[1 : len(tok)-1])
	case tok[0] == '[':
		return jsonArrayValue(tok)
	}
	return tok
}

// jsonArrayValue joins the items of a validated array token.
func jsonArrayValue(tok string) string {
	var b strings.Builder
	b.WriteString(arrayPrefix)
	i := skipWS(tok, 1)
	for n := 0; i < len(tok) && tok[i] != ']'; n++ {
		end, err := scanValue(tok, i)
		if err != nil {
			break
		}
		if n > 0 {
			b.WriteString(arraySep)
		}
		b.WriteString(jsonValue(tok[i:end]))
		i = skipWS(tok, end)
		if i < len(tok) && tok[i] == ',' {
			i = skipWS(tok, i+1)
		}
	}
	return b.String()
}

// jsonUnescape decodes backslash escapes; it returns s itself when there
// are none. Invalid escapes are kept verbatim; lone surrogates become
// U+FFFD.
func jsonUnescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			i++
			continue
		}
		var n int
		b, n = appendEscape(b, s[i:])
		i += n
	}
	return string(b)
}

// appendEscape decodes the escape at the start of s and returns how many
// bytes it used.
func appendEscape(b []byte, s string) ([]byte, int) {
	switch s[1] {
	case '"', '\\', '/':
		return append(b, s[1]), 2
	case 'b':
		return append(b, '\b'), 2
	case 'f':
		return append(b, '\f'), 2
	case 'n':
		return append(b, '\n'), 2
	case 'r':
		return append(b, '\r'), 2
	case 't':
		return append(b, '\t'), 2
	case 'u':
		return appendUnicode(b, s)
	}
	return append(b, s[:2]...), 2
}

// appendUnicode decodes \uXXXX, joining a surrogate pair when one follows.
func appendUnicode(b []byte, s string) ([]byte, int) {
	r, ok := hex4(s, 2)
	if !ok {
		return append(b, s[:2]...), 2
	}
	if !utf16.IsSurrogate(r) {
		return utf8.AppendRune(b, r), 6
	}
	if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if r2, ok := hex4(s, 8); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return utf8.AppendRune(b, d), 12
			}
		}
	}
	return utf8.AppendRune(b, utf8.RuneError), 6
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if len(s) < i+4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		d := unhex(c)
		if d < 0 {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// jsonLookup finds a key by substring search (checking that the match is a
// whole key), falling back to a full scan for keys written with escapes or
// spaces and for case-insensitive matches.
func (e *Event) jsonLookup(name string) (string, bool) {
	if name != "" && !strings.ContainsAny(name, "\"\\") {
		if tok, ok := e.jsonFind(name); ok {
			return jsonValue(tok), true
		}
	}
	var tok string
	found := false
	for pass := 0; pass < 2 && !found; pass++ {
		e.jsonMembers(func(m member) bool {
			k := e.s[m.k0:m.k1]
			if m.kesc {
				k = jsonUnescape(k)
			}
			if k == name || (pass == 1 && strings.EqualFold(k, name)) {
				tok, found = e.s[m.v0:m.v1], true
			}
			return !found
		})
	}
	return jsonValue(tok), found
}

// jsonFind searches for `"name":` at a key position, anchored on the
// rarest byte of name (see findLine).
func (e *Event) jsonFind(name string) (string, bool) {
	k := rareByte(name, false)
	c := name[k]
	for from := k; from < len(e.s); {
		j := strings.IndexByte(e.s[from:], c)
		if j < 0 {
			return "", false
		}
		j += from
		from = j + 1
		if tok, ok := e.jsonKeyAt(name, j-k); ok {
			return tok, true
		}
	}
	return "", false
}

// jsonKeyAt checks for the key `"name"` with its content at s[start] and
// returns its value token.
func (e *Event) jsonKeyAt(name string, start int) (string, bool) {
	s := e.s
	q, j := start-1, start+len(name)
	if q < 1 || j >= len(s) || s[q] != '"' || s[j] != '"' || !keyLead(s[q-1]) || s[start:j] != name {
		return "", false
	}
	if q == e.skipA || q == e.skipB {
		return "", false
	}
	k := skipWS(s, j+1)
	if k >= len(s) || s[k] != ':' {
		return "", false
	}
	k = skipWS(s, k+1)
	end, err := scanValue(s, k)
	if err != nil {
		return "", false
	}
	return s[k:end], true
}

// keyLead reports whether c may precede a key's opening quote.
func keyLead(c byte) bool {
	return c == ',' || c == '{' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
}

// jsonMembers walks the (already validated) members that are headers.
func (e *Event) jsonMembers(fn func(member) bool) {
	_ = jsonWalk(e.s, func(m member) bool {
		if m.key == e.skipA || m.key == e.skipB {
			return true
		}
		return fn(m)
	})
}

// jsonIndex locates every header member.
func (e *Event) jsonIndex() []span {
	var idx []span
	e.jsonMembers(func(m member) bool {
		idx = append(idx, span{n0: m.k0, n1: m.k1, v0: m.v0, v1: m.v1, nesc: m.kesc})
		return true
	})
	return idx
}
