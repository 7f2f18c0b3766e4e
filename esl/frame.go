package esl

import "bytes"

// MaxFrameSize is the largest header block or body accepted, like
// FreeSWITCH's own 16 MiB MAX_CONTENT_LENGTH. A larger frame ends the
// connection with ErrFrameTooLarge.
const MaxFrameSize = 16 << 20

// Content types FreeSWITCH sends.
const (
	TypeAuthRequest      = "auth/request"
	TypeCommandReply     = "command/reply"
	TypeAPIResponse      = "api/response"
	TypeEventPlain       = "text/event-plain"
	TypeEventJSON        = "text/event-json"
	TypeEventXML         = "text/event-xml"
	TypeLogData          = "log/data"
	TypeDisconnectNotice = "text/disconnect-notice"
	TypeRudeRejection    = "text/rude-rejection"
)

// Frame is one ESL packet as read off the wire: the outer header block and
// the Content-Length body. A Frame handed out by Parser.Feed aliases the
// parser's buffer and is valid only during the callback; Clone it to keep it.
type Frame struct {
	// head is the header block: "Name: value\n" lines, without the blank
	// line that ends it (lines may end in "\r\n").
	head []byte
	// Body is the Content-Length body (nil or empty when there is none).
	Body []byte
	// bodyInInput reports that Parser.Feed handed out Body aliasing the
	// bytes it was fed (not its scratch buffer), see BodyInInput.
	bodyInInput bool
	// ctype is the Content-Type when ctypeSet: the parser finds it in the
	// same pass as the Content-Length.
	ctype    string
	ctypeSet bool
}

// BodyInInput reports whether Body aliases the bytes given to Parser.Feed
// rather than the parser's reused scratch buffer. A reader that never
// overwrites the bytes it feeds may then keep Body without copying it.
func (f *Frame) BodyInInput() bool { return f.bodyInInput }

// NewFrame builds a frame from a raw header block ("Name: value\n" lines,
// the terminating blank line optional) and a body. It copies nothing: the
// frame aliases both slices. Meant for tests and simulators.
func NewFrame(head, body []byte) *Frame {
	if n := len(head); n >= 2 && head[n-1] == '\n' && head[n-2] == '\n' {
		head = head[:n-1]
	}
	return &Frame{head: head, Body: body}
}

// HeaderBlock returns the raw outer header block, one "Name: value\n" line
// per header, without the terminating blank line. It aliases the frame.
func (f *Frame) HeaderBlock() []byte { return f.head }

// Header returns the first outer header with this name (case-insensitive),
// raw, not URL-decoded. Outer headers are not encoded except in the
// outbound connect reply; use HeaderDecoded there.
func (f *Frame) Header(name string) string {
	v, ok := f.headerBytes(name)
	if !ok {
		return ""
	}
	return internValue(v)
}

// HeaderDecoded is Header with tolerant URL-decoding.
func (f *Frame) HeaderDecoded(name string) string { return URLDecode(f.Header(name)) }

// ContentType returns the Content-Type header. Known content types are
// returned without allocating.
func (f *Frame) ContentType() string {
	if f.ctypeSet {
		return f.ctype
	}
	return f.Header("Content-Type")
}

// Range calls fn for every outer header in order, raw, until fn returns
// false. The strings are copies.
func (f *Frame) Range(fn func(name, value string) bool) {
	forEachLine(f.head, func(name, value []byte) bool {
		return fn(string(name), string(value))
	})
}

// Clone returns a copy that owns its memory (one allocation).
func (f *Frame) Clone() *Frame {
	buf := make([]byte, len(f.head)+len(f.Body))
	n := copy(buf, f.head)
	copy(buf[n:], f.Body)
	c := &Frame{head: buf[:n:n], ctype: f.ctype, ctypeSet: f.ctypeSet}
	if f.Body != nil {
		c.Body = buf[n:]
	}
	return c
}

// HeaderEvent returns the outer header block as an owned Event (format
// plain, values URL-decoded lazily, no body). This is how the outbound
// connect reply, a whole CHANNEL_DATA event sent as headers, is read.
func (f *Frame) HeaderEvent() *Event {
	data := make([]byte, len(f.head))
	copy(data, f.head)
	return parsePlain(data, true)
}

// headerBytes finds the first header named name (ASCII case-insensitive)
// and returns its value: after the colon and any spaces, without a
// trailing CR.
func (f *Frame) headerBytes(name string) ([]byte, bool) {
	var val []byte
	found := false
	forEachLine(f.head, func(n, v []byte) bool {
		if equalFoldBytes(n, name) {
			val, found = v, true
			return false
		}
		return true
	})
	return val, found
}

// forEachLine splits a header block into name/value pairs. Lines without a
// colon are skipped.
func forEachLine(head []byte, fn func(name, value []byte) bool) {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		name, value, ok := splitHeaderLine(line)
		if ok && !fn(name, value) {
			return
		}
	}
}

// splitHeaderLine cuts "Name: value[\r]" into its parts.
func splitHeaderLine(line []byte) (name, value []byte, ok bool) {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	c := bytes.IndexByte(line, ':')
	if c < 0 {
		return nil, nil, false
	}
	v := line[c+1:]
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	return line[:c], v, true
}

// equalFoldBytes compares ASCII case-insensitively without allocating.
func equalFoldBytes(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// internValue returns common header values as constants (no allocation)
// and copies anything else.
func internValue(v []byte) string {
	if t := knownType(v); t != "" {
		return t
	}
	switch string(v) {
	case "+OK":
		return "+OK"
	case "disconnect":
		return "disconnect"
	case "linger":
		return "linger"
	}
	return string(v)
}

// knownType returns the constant for a content type FreeSWITCH sends, ""
// for any other.
func knownType(v []byte) string {
	switch string(v) {
	case TypeAuthRequest:
		return TypeAuthRequest
	case TypeCommandReply:
		return TypeCommandReply
	case TypeAPIResponse:
		return TypeAPIResponse
	case TypeEventPlain:
		return TypeEventPlain
	case TypeEventJSON:
		return TypeEventJSON
	case TypeEventXML:
		return TypeEventXML
	case TypeLogData:
		return TypeLogData
	case TypeDisconnectNotice:
		return TypeDisconnectNotice
	case TypeRudeRejection:
		return TypeRudeRejection
	}
	return ""
}
