package esl

// Filter is "filter <Header> <Value>": once any filter exists, FreeSWITCH
// sends only events that a filter matches (a value starting with "-"
// vetoes, "/re/" is a regular expression).
type Filter struct {
	Header, Value string
}

// AppendWire implements Command.
func (c Filter) AppendWire(dst []byte) []byte {
	return appendSimple(dst, "filter", c.Header, c.Value)
}

// String implements Command.
func (c Filter) String() string { return wireString(c) }

// FilterDelete is "filter delete <Header> [<Value>]".
type FilterDelete struct {
	Header, Value string
}

// AppendWire implements Command.
func (c FilterDelete) AppendWire(dst []byte) []byte {
	return appendSimple(dst, "filter delete", c.Header, c.Value)
}

// String implements Command.
func (c FilterDelete) String() string { return wireString(c) }

// FilterDeleteAll is "filter delete all".
type FilterDeleteAll struct{}

// AppendWire implements Command.
func (FilterDeleteAll) AppendWire(dst []byte) []byte {
	return appendSimple(dst, "filter delete all")
}

// String implements Command.
func (FilterDeleteAll) String() string { return "filter delete all" }
