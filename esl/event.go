package esl

import (
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Format is the serialization an event arrived in (or is written in).
type Format uint8

// Event formats.
const (
	FormatPlain Format = iota
	FormatJSON
	FormatXML
)

// String returns "plain", "json" or "xml".
func (f Format) String() string {
	switch f {
	case FormatPlain:
		return "plain"
	case FormatJSON:
		return "json"
	case FormatXML:
		return "xml"
	}
	return "unknown"
}

// Event is one FreeSWITCH event, whatever its wire format: headers in order
// with repeats kept, and a body. Values are decoded lazily, only when read,
// and decoding is tolerant (bad % escapes are kept verbatim). An Event is
// immutable once delivered; it is safe to read from many goroutines.
//
// A parsed event keeps its wire bytes and looks headers up by scanning
// them; values that need no decoding are returned as substrings of those
// bytes without copying. An index of all headers is built once, on the
// first call that needs it (Len, Header, Range, Values). The mutating
// methods (Add, Set, Del, SetBody) are for events being built; they must not
// race with readers.
type Event struct {
	// Node names the FreeSWITCH connection the event came from (set by Client).
	Node string

	format Format
	// s is the wire text of a parsed event (an immutable view of the bytes
	// given to ParseEvent); "" for built events.
	s string
	// hend ends the region of s that holds headers (plain: the header
	// lines, without a trailing body Content-Length line; json: len(s)).
	hend int
	body string
	// skipA and skipB are offsets of JSON keys hidden from the headers: the
	// Content-Length that describes "_body", and "_body" itself (-1: none).
	skipA, skipB int
	// built is set when the headers live in hs (decoded) instead of s.
	built bool
	hs    []field

	once sync.Once
	idx  []span

	// lazy marks a plain or JSON event whose body is located only when
	// needed (see ensureSplit): until then hend, body and (JSON) skipA and
	// skipB are not valid.
	lazy  bool
	split sync.Once
	// clean is a prefix length of s known to hold no body marker (lazy
	// events), so lookups that land inside it need no split.
	clean atomic.Int64

	// lease is the read chunk a lent event aliases (nil: the event owns
	// its bytes); lends counts its holders (see Release).
	lease *lease
	lends atomic.Int32
}

// field is one decoded header of a built event.
type field struct{ name, value string }

// span locates one header of a parsed event in s.
type span struct {
	n0, n1 int  // name (json: key content, still escaped when nesc)
	v0, v1 int  // raw value (plain: URL-encoded; json: the whole token)
	nesc   bool // json key with escapes
}

// ParseEvent parses an event body in the given format. The Event takes
// ownership of data: the caller must not modify it afterwards, because
// header values are returned as strings that alias it (see Event).
func ParseEvent(f Format, data []byte) (*Event, error) {
	e := new(Event)
	if err := e.init(f, data); err != nil {
		return nil, err
	}
	return e, nil
}

// init parses data into e, which must be zero.
func (e *Event) init(f Format, data []byte) error {
	switch f {
	case FormatPlain:
		e.initPlain(data, false)
		return nil
	case FormatJSON:
		return e.initJSON(data)
	case FormatXML:
		return e.initXML(data)
	}
	return errUnknownFormat
}

// Parse replaces e with the event in data, as ParseEvent does, reusing e
// instead of allocating one: for loops that read events and keep none
// (an Event is small, but a consumer of hundreds of thousands of events a
// second saves that allocation). The same ownership rule holds: data must
// not change while e is in use. e must be an event of the caller's own,
// not one received from a Conn or a Client, and nothing may use it
// concurrently. On error e is left empty.
func (e *Event) Parse(f Format, data []byte) error {
	*e = Event{}
	err := e.init(f, data)
	if err != nil {
		*e = Event{}
	}
	return err
}

// bytesView returns a string sharing b's memory. Only used on bytes the
// Event owns and never modifies.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Get returns the first value of the header (case-sensitive first, then
// case-insensitive), decoded; "" if absent.
func (e *Event) Get(name string) string {
	v, _ := e.Lookup(name)
	return v
}

// Lookup is Get that reports presence.
func (e *Event) Lookup(name string) (string, bool) {
	v, ok := e.lookup(name)
	return e.owned(v), ok
}

// lookup is Lookup without the copy a lent event needs.
func (e *Event) lookup(name string) (string, bool) {
	switch {
	case e.built:
		return e.builtLookup(name)
	case e.format == FormatJSON:
		return e.jsonLookup(name)
	}
	return e.plainLookup(name)
}

// Values returns every value of a repeated header, decoded, in order
// (exact-case matches, or case-insensitive ones when there are none).
func (e *Event) Values(name string) []string {
	var exact, folded []string
	e.Range(func(n, v string) bool {
		if n == name {
			exact = append(exact, v)
		} else if exact == nil && strings.EqualFold(n, name) {
			folded = append(folded, v)
		}
		return true
	})
	if exact != nil {
		return exact
	}
	return folded
}

// Array splits an "ARRAY::a|:b" value into its items (a plain value gives
// one item, a missing header none).
func (e *Event) Array(name string) []string {
	v, ok := e.Lookup(name)
	if !ok {
		return nil
	}
	return SplitArray(v)
}

// SplitArray splits a FreeSWITCH "ARRAY::a|:b" value into its items; any
// other value is one item.
func SplitArray(v string) []string {
	if rest, ok := strings.CutPrefix(v, arrayPrefix); ok {
		return strings.Split(rest, arraySep)
	}
	return []string{v}
}

const (
	arrayPrefix = "ARRAY::"
	arraySep    = "|:"
)

// Var returns the channel variable name (header "variable_"+name).
func (e *Event) Var(name string) string { return e.Get("variable_" + name) }

// Name returns Event-Name.
func (e *Event) Name() string { return e.Get("Event-Name") }

// Subclass returns Event-Subclass.
func (e *Event) Subclass() string { return e.Get("Event-Subclass") }

// UniqueID returns the call uuid (Unique-ID, else Channel-Call-UUID).
func (e *Event) UniqueID() string {
	if v, ok := e.Lookup("Unique-ID"); ok && v != "" {
		return v
	}
	return e.Get("Channel-Call-UUID")
}

// Body returns the event body ("" if none).
func (e *Event) Body() string {
	e.ensureSplit()
	return e.owned(e.body)
}

// Len returns the number of headers.
func (e *Event) Len() int {
	if e.built {
		return len(e.hs)
	}
	return len(e.index())
}

// Header returns the i-th header, decoded. It panics if i is out of range,
// like a slice index.
func (e *Event) Header(i int) (name, value string) {
	if e.built {
		return e.hs[i].name, e.hs[i].value
	}
	n, v := e.spanHeader(e.index()[i])
	return e.owned(n), e.owned(v)
}

// Range calls fn for every header in order, decoded, until fn returns false.
func (e *Event) Range(fn func(name, value string) bool) {
	if e.built {
		for _, h := range e.hs {
			if !fn(h.name, h.value) {
				return
			}
		}
		return
	}
	for _, sp := range e.index() {
		n, v := e.spanHeader(sp)
		if !fn(e.owned(n), e.owned(v)) {
			return
		}
	}
}

// Format returns the wire format the event was parsed from.
func (e *Event) Format() Format { return e.format }

// index returns the header index of a parsed event, building it once.
func (e *Event) index() []span {
	e.once.Do(func() {
		if e.format == FormatJSON {
			e.idx = e.jsonIndex()
		} else {
			e.idx = e.plainIndex()
		}
	})
	return e.idx
}

// spanHeader decodes one indexed header.
func (e *Event) spanHeader(sp span) (name, value string) {
	raw := e.s[sp.v0:sp.v1]
	name = e.s[sp.n0:sp.n1]
	if e.format != FormatJSON {
		return name, URLDecode(raw)
	}
	if sp.nesc {
		name = jsonUnescape(name)
	}
	return name, jsonValue(raw)
}

// builtLookup searches the decoded headers of a built event.
func (e *Event) builtLookup(name string) (string, bool) {
	for _, h := range e.hs {
		if h.name == name {
			return h.value, true
		}
	}
	for _, h := range e.hs {
		if strings.EqualFold(h.name, name) {
			return h.value, true
		}
	}
	return "", false
}
