package esl

import "strings"

const upperHex = "0123456789ABCDEF"

// urlUnsafe marks the bytes FreeSWITCH's switch_url_encode_opt escapes:
// controls (< 0x20), bytes above '~' and SWITCH_URL_UNSAFE.
var urlUnsafe = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c < ' ' || c > '~'
	}
	for _, c := range []byte("\r\n #%&+:;<=>?@[\\]^`{|}\"") {
		t[c] = true
	}
	return t
}()

// URLEncode appends s to dst encoded exactly like FreeSWITCH's
// switch_url_encode (double_encode off): unsafe bytes become %XX with
// upper-case hex, except a '%' already followed by two upper-case hex digits,
// which is kept as is. The encoding is therefore lossy for values that
// contain such sequences ("100%41" stays "100%41" and decodes to "100A").
func URLEncode(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !urlUnsafe[c] || (c == '%' && keepsPercent(s, i)) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0x0f])
	}
	return dst
}

// keepsPercent reports whether the '%' at s[i] starts an existing escape that
// FreeSWITCH leaves alone (two upper-case hex digits follow).
func keepsPercent(s string, i int) bool {
	return i+2 < len(s) && isUpperHex(s[i+1]) && isUpperHex(s[i+2])
}

func isUpperHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('A' <= c && c <= 'F')
}

// unhex returns the value of a hex digit (either case) or -1.
func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// URLDecode decodes %XX escapes (either hex case). It is tolerant: a '%'
// not followed by two hex digits is kept verbatim, '+' is left alone (as
// FreeSWITCH never writes it for a space) and the bytes are not checked for
// UTF-8 validity. It returns s itself, without allocating, when there is
// nothing to decode.
func URLDecode(s string) string {
	i := strings.IndexByte(s, '%')
	for i >= 0 && !validEscape(s, i) {
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			return s
		}
		i += 1 + j
	}
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if s[i] == '%' && validEscape(s, i) {
			b.WriteByte(byte(unhex(s[i+1])<<4 | unhex(s[i+2])))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func validEscape(s string, i int) bool {
	return i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0
}
