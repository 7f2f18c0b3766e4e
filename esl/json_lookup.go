package esl

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Reading a validated JSON event: key lookup by anchored search, values
// decoded only when read.

// jsonLookup finds a key by an anchored structural search (exact case,
// then ASCII case-insensitive). Keys written with escapes are matched
// through the member index, built only for a miss in a text that has a
// backslash somewhere (or for a name that needs escaping).
func (e *Event) jsonLookup(name string) (string, bool) {
	hide := jsonHidden(name)
	if hide {
		e.ensureSplit()
	}
	if name != "" && !hasByte2(name, '"', '\\') {
		if _, tok, ok := e.jsonFind(name, false, hide); ok {
			return jsonValue(tok), true
		}
		if strings.IndexByte(e.s, '\\') < 0 { // no key has escapes
			_, tok, ok := e.jsonFind(name, true, hide)
			return jsonValue(tok), ok
		}
	}
	return e.jsonIndexLookup(name)
}

// jsonIndexLookup searches the member index, decoding escaped keys.
func (e *Event) jsonIndexLookup(name string) (string, bool) {
	idx := e.index()
	for pass := 0; pass < 2; pass++ {
		for _, sp := range idx {
			k := e.s[sp.n0:sp.n1]
			if sp.nesc {
				k = jsonUnescape(k)
			}
			if k == name || (pass == 1 && strings.EqualFold(k, name)) {
				return jsonValue(e.s[sp.v0:sp.v1]), true
			}
		}
	}
	return "", false
}

// jsonFind returns the first key `"name"` (ASCII case-insensitive with
// fold) that is a real key of a header member: its key quote offset and
// its value token. It anchors on the rarest byte of name (see findHeader);
// with fold, both cases of that byte are tried and the earlier key wins.
// With hide, the members jsonLocateBody hid are skipped (the body must be
// located already); without, they are not looked at.
func (e *Event) jsonFind(name string, fold, hide bool) (q int, tok string, ok bool) {
	k := rareByte(name, fold)
	c := name[k]
	q, tok, ok = e.jsonScan(name, k, c, len(e.s), fold, hide)
	if other := otherCase(c); fold && other != c {
		limit := len(e.s)
		if ok {
			limit = q + 1 + k
		}
		if q2, tok2, ok2 := e.jsonScan(name, k, other, limit, fold, hide); ok2 {
			return q2, tok2, true
		}
	}
	return q, tok, ok
}

// otherCase returns the other case of an ASCII letter (c itself otherwise).
func otherCase(c byte) byte {
	if u := upper(c); u != c {
		return u
	}
	return lower(c)
}

// jsonScan tries every occurrence of c in s[:limit] as name[k].
func (e *Event) jsonScan(name string, k int, c byte, limit int, fold, hide bool) (int, string, bool) {
	for from := k; from < limit; {
		j := strings.IndexByte(e.s[from:limit], c)
		if j < 0 {
			break
		}
		j += from
		from = j + 1
		if tok, ok := e.jsonKeyAt(name, j-k, fold, hide); ok {
			return j - k - 1, tok, true
		}
	}
	return -1, "", false
}

// jsonKeyAt checks for the key `"name"` with its content at s[start] and
// returns its value token.
func (e *Event) jsonKeyAt(name string, start int, fold, hide bool) (string, bool) {
	s := e.s
	q, j := start-1, start+len(name)
	if q < 1 || j >= len(s) || s[q] != '"' || s[j] != '"' || !keyLead(s[q-1]) {
		return "", false
	}
	if key := s[start:j]; key != name && (!fold || !strings.EqualFold(key, name)) {
		return "", false
	}
	if hide && (q == e.skipA || q == e.skipB) {
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
	e.ensureSplit()
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

// hasByte2 reports whether s contains a or b (cheaper than
// strings.ContainsAny for the short names of header lookups).
func hasByte2(s string, a, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == a || s[i] == b {
			return true
		}
	}
	return false
}
