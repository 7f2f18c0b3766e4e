package esl

// Format is the serialization an event arrived in (or is written in).
type Format uint8

// Event formats.
const (
	FormatPlain Format = iota
	FormatJSON
	FormatXML
)

// String returns "plain", "json" or "xml".
func (f Format) String() string { panic("TODO") }

// Event is one FreeSWITCH event, whatever its wire format: headers in order
// with repeats kept, and a body. Values are decoded lazily, only when read,
// and decoding is tolerant (bad % escapes are kept verbatim). An Event is
// immutable once delivered; it is safe to read from many goroutines.
type Event struct {
	// Node names the FreeSWITCH connection the event came from (set by Client).
	Node string
	// TODO(H1)
}

// ParseEvent parses an event body in the given format. The Event takes
// ownership of data.
func ParseEvent(f Format, data []byte) (*Event, error) { panic("TODO") }

// NewEvent starts an event with Event-Name set (for sendevent and tests).
// "CUSTOM::sub" may not be used; call Add("Event-Subclass", sub).
func NewEvent(name string) *Event { panic("TODO") }

// Add appends a header (repeats allowed).
func (e *Event) Add(name, value string) { panic("TODO") }

// Set replaces every header of that name with one value.
func (e *Event) Set(name, value string) { panic("TODO") }

// Del removes every header of that name.
func (e *Event) Del(name string) { panic("TODO") }

// SetBody sets the event body.
func (e *Event) SetBody(body string) { panic("TODO") }

// Get returns the first value of the header (case-sensitive first, then
// case-insensitive), decoded; "" if absent.
func (e *Event) Get(name string) string { panic("TODO") }

// Lookup is Get that reports presence.
func (e *Event) Lookup(name string) (string, bool) { panic("TODO") }

// Values returns every value of a repeated header, decoded, in order.
func (e *Event) Values(name string) []string { panic("TODO") }

// Array splits an "ARRAY::a|:b" value into its items (a plain value gives
// one item, a missing header none).
func (e *Event) Array(name string) []string { panic("TODO") }

// Var returns the channel variable name (header "variable_"+name).
func (e *Event) Var(name string) string { panic("TODO") }

// Name returns Event-Name.
func (e *Event) Name() string { panic("TODO") }

// Subclass returns Event-Subclass.
func (e *Event) Subclass() string { panic("TODO") }

// UniqueID returns the call uuid (Unique-ID, else Channel-Call-UUID).
func (e *Event) UniqueID() string { panic("TODO") }

// Body returns the event body ("" if none).
func (e *Event) Body() string { panic("TODO") }

// Len returns the number of headers.
func (e *Event) Len() int { panic("TODO") }

// Header returns the i-th header, decoded.
func (e *Event) Header(i int) (name, value string) { panic("TODO") }

// Format returns the wire format the event was parsed from.
func (e *Event) Format() Format { panic("TODO") }

// AppendPlain writes the event as FreeSWITCH's text/event-plain body:
// URL-encoded values, then Content-Length and the body when there is one.
func (e *Event) AppendPlain(dst []byte) []byte { panic("TODO") }

// AppendJSON writes the event as FreeSWITCH's text/event-json body (flat
// object of strings, body in "_body").
func (e *Event) AppendJSON(dst []byte) []byte { panic("TODO") }

// AppendXML writes the event as FreeSWITCH's text/event-xml body.
func (e *Event) AppendXML(dst []byte) []byte { panic("TODO") }
