package esl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// initXML reads a text/event-xml body into e, which must be zero:
// <event><headers><Name>urlencoded</Name>...</headers>
// <Content-Length>n</Content-Length><body>text</body></event>.
// Header values are decoded at once (XML events are rare).
func (e *Event) initXML(data []byte) error {
	e.format, e.built, e.skipA, e.skipB = FormatXML, true, -1, -1
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	depth, section := 0, ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: xml event: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				section = t.Name.Local
			}
			if depth == 3 && section == "headers" {
				e.hs = append(e.hs, field{name: xmlName(t.Name)})
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			e.xmlText(depth, section, t)
		}
	}
	if depth != 0 {
		return fmt.Errorf("%w: xml event: unbalanced elements", ErrMalformed)
	}
	for i := range e.hs {
		e.hs[i].value = URLDecode(e.hs[i].value)
	}
	// switch_xml indents the closing tag of a text that ends in a newline.
	if strings.HasSuffix(e.body, "\n  ") {
		e.body = strings.TrimSuffix(e.body, "  ")
	}
	return nil
}

// xmlText stores character data for the element it belongs to.
func (e *Event) xmlText(depth int, section string, t xml.CharData) {
	switch {
	case depth == 3 && section == "headers" && len(e.hs) > 0:
		e.hs[len(e.hs)-1].value += string(t)
	case depth == 2 && section == "body":
		e.body += string(t)
	}
}

func xmlName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// AppendXML writes the event as FreeSWITCH's text/event-xml body, laid out
// like switch_event_xmlize + switch_xml_toxml: two-space indents, header
// values URL-encoded, array values as repeated elements, and the body
// XML-escaped (non-ASCII as &#xNN;).
func (e *Event) AppendXML(dst []byte) []byte {
	dst = append(dst, "<event>\n  <headers>\n"...)
	e.Range(func(name, value string) bool {
		for _, v := range SplitArray(value) {
			dst = append(dst, "    <"...)
			dst = append(dst, name...)
			dst = append(dst, '>')
			dst = URLEncode(dst, v)
			dst = append(dst, "</"...)
			dst = append(dst, name...)
			dst = append(dst, ">\n"...)
		}
		return true
	})
	dst = append(dst, "  </headers>\n"...)
	if body := e.Body(); body != "" {
		dst = append(dst, "  <Content-Length>"...)
		dst = strconv.AppendInt(dst, int64(len(body)), 10)
		dst = append(dst, "</Content-Length>\n  <body>"...)
		dst = appendXMLText(dst, body)
		if strings.HasSuffix(body, "\n") {
			dst = append(dst, "  "...)
		}
		dst = append(dst, "</body>\n"...)
	}
	return append(dst, "</event>\n"...)
}

// appendXMLText escapes text like switch_xml_ampencode (text mode, UTF-8
// encoding on); invalid UTF-8 bytes are copied as they are.
func appendXMLText(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '<' && i+1 < len(s) && s[i+1] == '!':
			return append(dst, s[i:]...) // the rest is "immune", as in switch_xml
		case c == '&':
			dst = append(dst, "&amp;"...)
		case c == '<':
			dst = append(dst, "&lt;"...)
		case c == '>':
			dst = append(dst, "&gt;"...)
		case c == '\r':
			dst = append(dst, "&#xD;"...)
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				dst = append(dst, c)
				i++
				continue
			}
			dst = fmt.Appendf(dst, "&#x%X;", r)
			i += n
			continue
		default:
			dst = append(dst, c)
		}
		i++
	}
	return dst
}
