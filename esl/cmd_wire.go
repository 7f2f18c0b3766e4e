package esl

import "strconv"

// appendLine appends s with every CR and LF replaced by a space. A command
// line or header value can never carry a line break: FreeSWITCH would read
// the rest as a new header or a new command and the reply order would break.
func appendLine(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\r' {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

// appendHeader appends "name: value\n".
func appendHeader(dst []byte, name, value string) []byte {
	dst = appendLine(dst, name)
	dst = append(dst, ": "...)
	dst = appendLine(dst, value)
	return append(dst, '\n')
}

// appendWords appends " w1 w2 ..." (each word sanitized).
func appendWords(dst []byte, words ...string) []byte {
	for _, w := range words {
		if w == "" {
			continue
		}
		dst = append(dst, ' ')
		dst = appendLine(dst, w)
	}
	return dst
}

// appendSimple appends "verb w1 w2\n\n".
func appendSimple(dst []byte, verb string, words ...string) []byte {
	dst = append(dst, verb...)
	dst = appendWords(dst, words...)
	return append(dst, "\n\n"...)
}

// appendBody ends a header block. With a body it writes the optional
// content type, Content-Length, the blank line and the body.
func appendBody(dst []byte, contentType, body string) []byte {
	if body == "" {
		return append(dst, '\n')
	}
	if contentType != "" {
		dst = appendHeader(dst, "Content-Type", contentType)
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\n\n"...)
	return append(dst, body...)
}

// formatWord is the wire word for a format ("plain", "json", "xml").
func formatWord(f Format) string {
	switch f {
	case FormatJSON:
		return "json"
	case FormatXML:
		return "xml"
	default:
		return "plain"
	}
}

// wireString renders a command's first line for String methods.
func wireString(c Command) string {
	b := c.AppendWire(nil)
	for i, ch := range b {
		if ch == '\n' {
			return string(b[:i])
		}
	}
	return string(b)
}
