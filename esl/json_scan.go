package esl

import (
	"fmt"
	"strings"
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
