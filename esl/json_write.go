package esl

import (
	"strconv"
	"strings"
)

// AppendJSON writes the event as FreeSWITCH's text/event-json body (flat
// object of strings, body in "_body"). Like cJSON_PrintUnformatted it has
// no white space, escapes only '"', '\\' and control bytes, and writes an
// "ARRAY::a|:b" value as a JSON array.
func (e *Event) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	first := true
	member := func(name string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, name)
		dst = append(dst, ':')
	}
	e.Range(func(name, value string) bool {
		member(name)
		dst = appendJSONValue(dst, value)
		return true
	})
	if body := e.Body(); body != "" {
		member("Content-Length")
		dst = appendJSONString(dst, strconv.Itoa(len(body)))
		member("_body")
		dst = appendJSONString(dst, body)
	}
	return append(dst, '}')
}

// appendJSONValue writes a string, or an array for "ARRAY::" values.
func appendJSONValue(dst []byte, v string) []byte {
	rest, ok := strings.CutPrefix(v, arrayPrefix)
	if !ok {
		return appendJSONString(dst, v)
	}
	dst = append(dst, '[')
	for i, item := range strings.Split(rest, arraySep) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, item)
	}
	return append(dst, ']')
}

// appendJSONString quotes s the way cJSON does (bytes >= 0x80 are copied).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if c < 0x20 {
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				dst = append(dst, c)
			}
		}
	}
	return append(dst, '"')
}
