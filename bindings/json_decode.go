package bindings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// decodeJSON parses text (RFC 8259) into Lua values. Open arrays and
// objects are kept on an explicit stack rather than by recursion (at most
// jsonMaxDepth levels); each table is made, at its exact size, when its
// closing bracket is read. L's budget is checked as it goes: a spent
// budget raises its error.
func decodeJSON(L *lua.LState, text string) (lua.LValue, error) {
	p := &jsonParser{s: text, L: L, null: jsonNullValue(L), poll: newPoller(L)}
	v, err := p.parse()
	if err != nil {
		return lua.LNil, fmt.Errorf("bindings: json: %w", err)
	}
	return v, nil
}

// jsonFrame is an array or object being read: its elements so far.
type jsonFrame struct {
	object bool
	keys   []string // an object's, one per value
	vals   []lua.LValue
}

// table makes the frame's table.
func (f *jsonFrame) table(L *lua.LState) *lua.LTable {
	if !f.object {
		t := L.CreateTable(len(f.vals), 0)
		for _, v := range f.vals {
			t.Append(v)
		}
		return t
	}
	t := L.CreateTable(0, len(f.vals))
	for i, v := range f.vals {
		t.RawSetString(f.keys[i], v)
	}
	return t
}

type jsonParser struct {
	s     string
	i     int
	L     *lua.LState
	null  lua.LValue
	poll  *poller
	stack []jsonFrame // [:depth] are open; the rest keep their slices for reuse
	depth int
	done  lua.LValue // the value read last, when it is complete
}

var errJSONEnd = errors.New("unexpected end of JSON input")

// parse reads one value and checks that only spaces follow.
func (p *jsonParser) parse() (lua.LValue, error) {
	err := p.value()
	for err == nil && p.depth > 0 {
		err = p.next()
	}
	if err != nil {
		return nil, err
	}
	if p.space(); p.i < len(p.s) {
		return nil, p.unexpected("after the value")
	}
	return p.done, nil
}

// value reads the value at p.i: a scalar (then in p.done), or the start
// of an array or object (pushed on the stack, read by next).
func (p *jsonParser) value() error {
	p.poll.tick(1)
	if p.space(); p.i >= len(p.s) {
		return errJSONEnd
	}
	var err error
	switch c := p.s[p.i]; c {
	case '{', '[':
		return p.open(c == '{')
	case '"':
		var s string
		s, err = p.str()
		p.done = lua.LString(s)
	case 't':
		err = p.literal("true", lua.LTrue)
	case 'f':
		err = p.literal("false", lua.LFalse)
	case 'n':
		err = p.literal("null", p.null)
	default:
		p.done, err = p.number()
	}
	if err == nil && p.depth > 0 {
		p.add(p.done)
	}
	return err
}

func (p *jsonParser) literal(word string, v lua.LValue) error {
	if !strings.HasPrefix(p.s[p.i:], word) {
		return p.unexpected("looking for a value")
	}
	p.i += len(word)
	p.done = v
	return nil
}

// open pushes a new array or object.
func (p *jsonParser) open(object bool) error {
	if p.depth >= jsonMaxDepth {
		return errJSONDepth
	}
	p.i++
	if p.depth == len(p.stack) {
		p.stack = append(p.stack, jsonFrame{})
	}
	f := &p.stack[p.depth]
	f.object, f.keys, f.vals = object, f.keys[:0], f.vals[:0]
	p.depth++
	return nil
}

// close pops the innermost array or object and makes its table.
func (p *jsonParser) close() {
	p.depth--
	f := &p.stack[p.depth]
	p.done = f.table(p.L)
	clear(f.vals) // hold no values beyond this table
	if p.depth > 0 {
		p.add(p.done)
	}
}

// add appends a complete value to the innermost array or object.
func (p *jsonParser) add(v lua.LValue) {
	f := &p.stack[p.depth-1]
	f.vals = append(f.vals, v)
}

// next reads on in the innermost array or object, whose elements so far
// are all complete: its end, or its next element (after a comma unless
// it is the first).
func (p *jsonParser) next() error {
	f := &p.stack[p.depth-1]
	closer := byte(']')
	if f.object {
		closer = '}'
	}
	p.space()
	switch {
	case p.i >= len(p.s):
		return errJSONEnd
	case p.s[p.i] == closer:
		p.i++
		p.close()
		return nil
	case len(f.vals) == 0:
	case p.s[p.i] == ',':
		p.i++
	default:
		return p.unexpected("after an element")
	}
	return p.element(f)
}

// element reads one element of f (its key first for an object).
func (p *jsonParser) element(f *jsonFrame) error {
	if f.object {
		if p.space(); p.i >= len(p.s) || p.s[p.i] != '"' {
			return p.unexpected("looking for an object key")
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		if p.space(); p.i >= len(p.s) || p.s[p.i] != ':' {
			return p.unexpected("after an object key")
		}
		p.i++
		f.keys = append(f.keys, key)
	}
	return p.value() // f may move if the stack grows: not used after
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) unexpected(where string) error {
	if p.i >= len(p.s) {
		return errJSONEnd
	}
	return fmt.Errorf("invalid character %q %s (offset %d)", p.s[p.i], where, p.i)
}

// number reads a number as JSON writes them.
func (p *jsonParser) number() (lua.LValue, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return nil, p.unexpected("looking for a value")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		if p.i++; p.digits() == 0 {
			return nil, p.unexpected("in a number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		if p.i++; p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return nil, p.unexpected("in a number")
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		return nil, fmt.Errorf("number %s out of range", p.s[start:p.i])
	}
	return lua.LNumber(f), nil
}

func (p *jsonParser) digits() int {
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	return p.i - start
}

// str reads a string; invalid UTF-8 and lone surrogates become U+FFFD.
func (p *jsonParser) str() (string, error) {
	p.i++
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			s := strings.Clone(p.s[start:p.i]) // do not pin the whole text
			p.i++
			p.poll.tick(len(s) >> 10)
			return s, nil
		case c == '\\' || c >= utf8.RuneSelf:
			return p.slowStr(start)
		case c < 0x20:
			return "", p.unexpected("in a string")
		}
		p.i++
	}
	return "", errJSONEnd
}

// slowStr reads the rest of a string that has escapes or non-ASCII bytes.
func (p *jsonParser) slowStr(start int) (string, error) {
	b := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			p.poll.tick(len(b) >> 10)
			return string(b), nil
		case c == '\\':
			var err error
			if b, err = p.escape(b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", p.unexpected("in a string")
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			b = utf8.AppendRune(b, r)
			p.i += size
		}
	}
	return "", errJSONEnd
}

// escape appends the character of the escape at p.i.
func (p *jsonParser) escape(b []byte) ([]byte, error) {
	if p.i+1 >= len(p.s) {
		return nil, errJSONEnd
	}
	c := p.s[p.i+1]
	if i := strings.IndexByte(`"\/bfnrt`, c); i >= 0 {
		p.i += 2
		return append(b, "\"\\/\b\f\n\r\t"[i]), nil
	}
	if c != 'u' {
		p.i++
		return nil, p.unexpected("in a string escape")
	}
	r, ok := p.hex4(p.i + 2)
	if !ok {
		return nil, p.unexpected("in a \\u escape")
	}
	p.i += 6
	if utf16.IsSurrogate(r) {
		r2, ok := rune(0), false
		if strings.HasPrefix(p.s[p.i:], `\u`) {
			r2, ok = p.hex4(p.i + 2)
		}
		if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
			p.i += 6
			r = d
		} else {
			r = utf8.RuneError
		}
	}
	return utf8.AppendRune(b, r), nil
}

// hex4 reads the 4 hex digits at i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[i:i+4], 16, 16)
	return rune(n), err == nil
}
