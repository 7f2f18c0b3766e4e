package bindings

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// jsonMaxDepth is how deeply tables may nest in JSON (both ways).
const jsonMaxDepth = 1000

// encodeJSON writes a Lua value as compact JSON, within L's string limit
// and budget: a text that would pass the limit is ErrJSONTooLong, a
// budget spent meanwhile raises its error.
func encodeJSON(L *lua.LState, v lua.LValue) ([]byte, error) {
	e := jsonEncoder{seen: map[*lua.LTable]bool{}, max: stringLimit(L), poll: newPoller(L)}
	return e.value(nil, v)
}

type jsonEncoder struct {
	seen  map[*lua.LTable]bool
	max   int
	depth int
	poll  *poller
}

func (e *jsonEncoder) value(dst []byte, v lua.LValue) ([]byte, error) {
	e.poll.tick(1)
	if len(dst) > e.max {
		return nil, ErrJSONTooLong
	}
	switch x := v.(type) {
	case *lua.LNilType:
		return append(dst, "null"...), nil
	case lua.LBool:
		return strconv.AppendBool(dst, bool(x)), nil
	case lua.LNumber:
		return appendJSONNumber(dst, float64(x))
	case lua.LString:
		if len(x) > e.max-len(dst) {
			return nil, ErrJSONTooLong
		}
		e.poll.tick(len(x) >> 10)
		return appendJSONString(dst, string(x)), nil
	case *lua.LTable:
		return e.table(dst, x)
	case *lua.LUserData:
		if _, ok := x.Value.(jsonNull); ok {
			return append(dst, "null"...), nil
		}
	}
	return nil, errJSONType
}

func appendJSONNumber(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errJSONType
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(dst, int64(f), 10), nil
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64), nil
}

func (e *jsonEncoder) table(dst []byte, t *lua.LTable) ([]byte, error) {
	if e.seen[t] {
		return nil, errJSONCycle
	}
	if e.depth >= jsonMaxDepth {
		return nil, errJSONDepth
	}
	e.seen[t] = true
	e.depth++
	defer func() {
		delete(e.seen, t)
		e.depth--
	}()
	n, count := t.Len(), 0
	t.ForEach(func(lua.LValue, lua.LValue) {
		count++
		e.poll.tick(1)
	})
	if n > 0 && count == n {
		return e.array(dst, t, n)
	}
	return e.object(dst, t)
}

func (e *jsonEncoder) array(dst []byte, t *lua.LTable, n int) ([]byte, error) {
	dst = append(dst, '[')
	var err error
	for i := 1; i <= n; i++ {
		if i > 1 {
			dst = append(dst, ',')
		}
		if dst, err = e.value(dst, t.RawGetInt(i)); err != nil {
			return nil, err
		}
	}
	return append(dst, ']'), nil
}

func (e *jsonEncoder) object(dst []byte, t *lua.LTable) ([]byte, error) {
	keys, err := objectKeys(t)
	if err != nil {
		return nil, err
	}
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k.name)
		dst = append(dst, ':')
		if dst, err = e.value(dst, t.RawGet(k.key)); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

type jsonKey struct {
	name string
	key  lua.LValue
}

// objectKeys lists a table's keys as strings, sorted; only string and
// number keys are allowed.
func objectKeys(t *lua.LTable) ([]jsonKey, error) {
	var keys []jsonKey
	bad := false
	t.ForEach(func(k, _ lua.LValue) {
		switch k.(type) {
		case lua.LString, lua.LNumber:
			keys = append(keys, jsonKey{name: k.String(), key: k})
		default:
			bad = true
		}
	})
	if bad {
		return nil, errJSONType
	}
	slices.SortFunc(keys, func(a, b jsonKey) int { return strings.Compare(a.name, b.name) })
	return keys, nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s quoted; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = appendJSONByte(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

func appendJSONByte(dst []byte, c byte) []byte {
	switch {
	case c == '"' || c == '\\':
		return append(dst, '\\', c)
	case c == '\n':
		return append(dst, '\\', 'n')
	case c == '\r':
		return append(dst, '\\', 'r')
	case c == '\t':
		return append(dst, '\\', 't')
	case c < 0x20:
		return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(dst, c)
}
