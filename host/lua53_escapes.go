package host

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// lua53Escapes rewrites the escapes Lua 5.2 and 5.3 added to quoted
// strings into ones gopher-lua (Lua 5.1) reads the same: \xHH and
// \u{XXX} become decimal escapes of their bytes (UTF-8 for \u), and \z
// drops the blanks after it (the line breaks it drops are put back after
// the string, so that line numbers stay right). Comments and long
// strings are copied as they are; everything else is unchanged.
func lua53Escapes(src []byte) []byte {
	if !bytes.Contains(src, []byte(`\x`)) && !bytes.Contains(src, []byte(`\u{`)) && !bytes.Contains(src, []byte(`\z`)) {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := commentEnd(src, i+2)
			out, i = append(out, src[i:end]...), end
		case c == '[':
			if end, ok := longBracketEnd(src, i); ok {
				out, i = append(out, src[i:end]...), end
				continue
			}
			out, i = append(out, c), i+1
		case c == '"' || c == '\'':
			out, i = quotedString(out, src, i)
		default:
			out, i = append(out, c), i+1
		}
	}
	return out
}

// commentEnd is the end of a comment whose "--" ends before i: a long
// comment's closing bracket, else the end of the line.
func commentEnd(src []byte, i int) int {
	if end, ok := longBracketEnd(src, i); ok {
		return end
	}
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// longBracketEnd reports whether a long bracket ([[, [==[) opens at i and
// returns the end of its closing bracket (the end of src if unclosed).
func longBracketEnd(src []byte, i int) (int, bool) {
	j := i + 1
	for j < len(src) && src[j] == '=' {
		j++
	}
	if j >= len(src) || src[j] != '[' {
		return 0, false
	}
	closing := append(append([]byte{']'}, bytes.Repeat([]byte{'='}, j-i-1)...), ']')
	if k := bytes.Index(src[j+1:], closing); k >= 0 {
		return j + 1 + k + len(closing), true
	}
	return len(src), true
}

// quotedString copies the string opening at i to out, rewriting its
// escapes, and returns the index after it.
func quotedString(out, src []byte, i int) ([]byte, int) {
	quote := src[i]
	out = append(out, quote)
	lines := 0 // line breaks a \z dropped
	for i++; i < len(src); {
		c := src[i]
		switch {
		case c == quote:
			out = append(out, c)
			return append(out, bytes.Repeat([]byte{'\n'}, lines)...), i + 1
		case c == '\n':
			return append(out, bytes.Repeat([]byte{'\n'}, lines)...), i // unfinished: the parser reports it
		case c != '\\' || i+1 >= len(src):
			out, i = append(out, c), i+1
			continue
		}
		switch e := src[i+1]; {
		case e == 'x' && i+3 < len(src) && isHex(src[i+2]) && isHex(src[i+3]):
			n, _ := strconv.ParseUint(string(src[i+2:i+4]), 16, 8)
			out, i = appendDecimalEscapes(out, []byte{byte(n)}), i+4
		case e == 'u' && i+2 < len(src) && src[i+2] == '{':
			end := bytes.IndexByte(src[i+3:], '}')
			n, err := strconv.ParseUint(string(src[i+3:i+3+max(end, 0)]), 16, 32)
			if end <= 0 || err != nil || n > utf8.MaxRune {
				out, i = append(out, c, e), i+2 // not ours: the parser reads it as Lua 5.1 does
				continue
			}
			out, i = appendDecimalEscapes(out, utf8.AppendRune(nil, rune(n))), i+3+end+1
		case e == 'z':
			i += 2
			for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r' || src[i] == '\f' || src[i] == '\v') {
				if src[i] == '\n' {
					lines++
				}
				i++
			}
		default: // \\, \", \n, \ddd...: as they are
			out, i = append(out, c, e), i+2
		}
	}
	return out, i
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// appendDecimalEscapes appends each byte of b as a three-digit \ddd escape
// (three digits, so that a digit after it is not read as part of it).
func appendDecimalEscapes(out, b []byte) []byte {
	for _, c := range b {
		out = append(out, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
	}
	return out
}
