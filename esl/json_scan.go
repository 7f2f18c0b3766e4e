package esl

import (
	"fmt"
	"strings"
)

// This file is a small hand-written scanner for the one JSON shape
// FreeSWITCH sends: a flat object whose values are strings or arrays of
// strings (numbers, true, false and null are tolerated as raw text).
// Parsing is lazy, like plain events: ParseEvent checks only the outline
// (an object) and locates "_body"; keys are found on demand by an anchored
// structural search (see jsonFind), and the members are walked (and their
// syntax checked) only when every header is needed (Len, Header, Range).

// member is one "key": value pair located in the JSON text.
type member struct {
	key    int  // offset of the key's opening quote
	k0, k1 int  // key content
	kesc   bool // key content has backslash escapes
	v0, v1 int  // value token (string with quotes, array with brackets)
}

// initJSON wraps a text/event-json body in e, which must be zero, after
// checking its outline. The "_body" member is located only when something
// needs it (see jsonLocateBody): FreeSWITCH writes it last, and a lookup of
// any other key cannot land on it, so most events are never scanned for it.
func (e *Event) initJSON(data []byte) error {
	e.format, e.s, e.skipA, e.skipB, e.lazy = FormatJSON, bytesView(data), -1, -1, true
	e.hend = len(e.s)
	return jsonOutline(e.s)
}

// jsonLocateBody finds the first "_body" member and hides it, and a
// "Content-Length" member right before it, from the headers.
func (e *Event) jsonLocateBody() {
	if q, tok, ok := e.jsonFind("_body", false, false); ok {
		e.skipB = q
		e.body = jsonValue(tok)
		e.skipA = contentLengthBefore(e.s, q)
	}
}

// jsonHidden reports whether a lookup of name may land on a member that
// jsonLocateBody hides: only those need the body located first.
func jsonHidden(name string) bool {
	return strings.EqualFold(name, "_body") || strings.EqualFold(name, "Content-Length")
}

// jsonOutline accepts a text that is one object: '{' first and '}' last
// (white space aside), and a key or the '}' right after the '{'.
func jsonOutline(s string) error {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return jsonErr("expected '{'", i)
	}
	j := len(s) - 1
	for j > i && isWS(s[j]) {
		j--
	}
	if j == i || s[j] != '}' {
		return jsonErr("expected '}' at the end", j)
	}
	if k := skipWS(s, i+1); k != j && s[k] != '"' {
		return jsonErr("expected a string key", k)
	}
	return nil
}

// contentLengthBefore returns the offset of the key quote of a member
// `"Content-Length": "..."` that directly precedes the member whose key
// quote is at q, or -1. It reads backwards: the string value's opening
// quote is the first quote not escaped by an odd run of backslashes.
func contentLengthBefore(s string, q int) int {
	const key = `"Content-Length"`
	k := skipWSBack(s, q-1)
	if k < 0 || s[k] != ',' {
		return -1
	}
	if k = skipWSBack(s, k-1); k < 0 || s[k] != '"' {
		return -1
	}
	for k--; k >= 0; k-- {
		if k = strings.LastIndexByte(s[:k+1], '"'); k < 0 || !escapedQuote(s, k) {
			break
		}
	}
	if k = skipWSBack(s, k-1); k < 0 || s[k] != ':' {
		return -1
	}
	k = skipWSBack(s, k-1) + 1 - len(key)
	if k < 1 || s[k:k+len(key)] != key || !keyLead(s[k-1]) {
		return -1
	}
	return k
}

// escapedQuote reports whether the quote at s[k] is preceded by an odd
// run of backslashes.
func escapedQuote(s string, k int) bool {
	n := 0
	for k-1-n >= 0 && s[k-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// skipWSBack returns the last index <= i that is not white space (-1 if
// none).
func skipWSBack(s string, i int) int {
	for i >= 0 && isWS(s[i]) {
		i--
	}
	return i
}

func isWS(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

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
	for i < len(s) && isWS(s[i]) {
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
