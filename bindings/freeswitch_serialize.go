package bindings

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// fsEvSerialize implements event:serialize([fmt]) in FreeSWITCH's
// formats: "json" (one flat object, the body in _body), "xml", or plain
// (URL-encoded "Name: value" lines, then Content-Length and the body).
func fsEvSerialize(L *lua.LState) int {
	e := checkFSEvent(L)
	switch strings.ToLower(optStr(L, 2, "")) {
	case "json":
		L.Push(lua.LString(e.serializeJSON()))
	case "xml":
		L.Push(lua.LString(e.serializeXML()))
	default:
		L.Push(lua.LString(e.serializePlain()))
	}
	return 1
}

// serializePlain writes headers as "Name: <url-encoded value>\n", then
// "Content-Length: n\n\n<body>" for a non-empty body, else "\n".
func (e *fsEvent) serializePlain() string {
	var b strings.Builder
	for _, h := range e.headers {
		b.WriteString(h.Name + ": " + fsURLEncode(h.Value) + "\n")
	}
	if e.body == "" {
		b.WriteString("\n")
		return b.String()
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(e.body)) + "\n\n" + e.body)
	return b.String()
}

// serializeJSON writes one unformatted object of string members, with
// Content-Length and _body when the event has a body.
func (e *fsEvent) serializeJSON() string {
	dst := []byte{'{'}
	member := func(k, v string) {
		if len(dst) > 1 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = appendJSONString(dst, v)
	}
	for _, h := range e.headers {
		member(h.Name, h.Value)
	}
	if e.hasBody {
		member("Content-Length", strconv.Itoa(len(e.body)))
		member("_body", e.body)
	}
	return string(append(dst, '}'))
}

// serializeXML writes <event><headers>...</headers>[<Content-Length>
// <body>]</event>; as in FreeSWITCH, header values are URL-encoded and
// the body is XML-escaped.
func (e *fsEvent) serializeXML() string {
	var b strings.Builder
	b.WriteString("<event>\n  <headers>\n")
	for _, h := range e.headers {
		b.WriteString("    <" + h.Name + ">" + fsURLEncode(h.Value) + "</" + h.Name + ">\n")
	}
	b.WriteString("  </headers>\n")
	if e.hasBody {
		b.WriteString("  <Content-Length>" + strconv.Itoa(len(e.body)) + "</Content-Length>\n")
		b.WriteString("  <body>" + xmlEscaper.Replace(e.body) + "</body>\n")
	}
	b.WriteString("</event>")
	return b.String()
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// fsURLUnsafe are the characters FreeSWITCH's URL encoding escapes,
// besides control bytes and bytes above '~'.
const fsURLUnsafe = "\r\n #%&+:;<=>?@[\\]^`{|}\""

// fsURLEncode encodes like switch_url_encode: upper-case %XX for unsafe
// bytes, except that a '%' already followed by two hex digits is kept.
func fsURLEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(c)
			continue
		}
		if c < 0x20 || c > '~' || strings.IndexByte(fsURLUnsafe, c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
