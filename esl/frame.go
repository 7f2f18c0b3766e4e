package esl

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
	// TODO(H1): raw header bytes and an index of header offsets.
	Body []byte
}

// Header returns the first outer header with this name (case-insensitive),
// raw, not URL-decoded. Outer headers are not encoded except in the
// outbound connect reply; use HeaderDecoded there.
func (f *Frame) Header(name string) string { panic("TODO") }

// HeaderDecoded is Header with tolerant URL-decoding.
func (f *Frame) HeaderDecoded(name string) string { panic("TODO") }

// ContentType returns the Content-Type header.
func (f *Frame) ContentType() string { panic("TODO") }

// Clone returns a copy that owns its memory.
func (f *Frame) Clone() *Frame { panic("TODO") }

// Parser is the incremental ESL framer. Feed it bytes as they arrive; it
// calls back once per complete frame. It is not safe for concurrent use.
type Parser struct {
	// TODO(H1)
}

// NewParser returns a parser that rejects frames larger than max bytes
// (MaxFrameSize when max <= 0).
func NewParser(max int) *Parser { panic("TODO") }

// Feed consumes b, calling fn for each complete frame in order. A partial
// frame is kept until more bytes arrive. Errors from fn stop parsing and are
// returned; framing errors wrap ErrMalformed or ErrFrameTooLarge.
func (p *Parser) Feed(b []byte, fn func(*Frame) error) error { panic("TODO") }
