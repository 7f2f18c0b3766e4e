package esl

import (
	"errors"
	"strings"
)

var errUnknownFormat = errors.New("esl: unknown event format")

// NewEvent starts an event with Event-Name set (for sendevent and tests).
// "CUSTOM::sub" may not be used; call Add("Event-Subclass", sub).
func NewEvent(name string) *Event {
	e := &Event{built: true, skipA: -1, skipB: -1}
	e.hs = append(e.hs, field{"Event-Name", name})
	return e
}

// Add appends a header (repeats allowed).
func (e *Event) Add(name, value string) {
	e.materialize()
	e.hs = append(e.hs, field{name, value})
}

// Set replaces every header of that name (case-insensitive) with one value,
// kept at the position of the first one (appended when there was none).
func (e *Event) Set(name, value string) {
	e.materialize()
	at := -1
	out := e.hs[:0]
	for _, h := range e.hs {
		if !strings.EqualFold(h.name, name) {
			out = append(out, h)
		} else if at < 0 {
			at = len(out)
			out = append(out, field{name, value})
		}
	}
	e.hs = out
	if at < 0 {
		e.hs = append(e.hs, field{name, value})
	}
}

// Del removes every header of that name (case-insensitive).
func (e *Event) Del(name string) {
	e.materialize()
	out := e.hs[:0]
	for _, h := range e.hs {
		if !strings.EqualFold(h.name, name) {
			out = append(out, h)
		}
	}
	e.hs = out
}

// SetBody sets the event body.
func (e *Event) SetBody(body string) {
	e.materialize()
	e.body = body
}

// materialize turns a parsed event into a built one (decoded headers in
// hs) before the first change. The body string stays shared with the
// immutable wire bytes.
func (e *Event) materialize() {
	if e.built {
		return
	}
	hs := make([]field, 0, e.Len())
	e.Range(func(n, v string) bool {
		hs = append(hs, field{n, v})
		return true
	})
	e.body = e.Body()
	e.hs, e.built, e.s, e.hend, e.lazy = hs, true, "", 0, false
	e.idx = nil
}
