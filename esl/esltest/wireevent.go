package esltest

import (
	"bytes"
	"sync"

	"github.com/eslscript/eslscript/esl"
)

// wireEvent is an event being delivered: immutable, serialized at most once
// per format, shared by every listener's queue.
type wireEvent struct {
	ev                 *esl.Event
	name, subclass     string
	uniqueID, jobOwner string
	mu                 sync.Mutex
	enc                [3][]byte
}

func newWireEvent(ev *esl.Event) *wireEvent {
	return &wireEvent{
		ev:       ev,
		name:     ev.Name(),
		subclass: ev.Subclass(),
		uniqueID: ev.Get("Unique-ID"),
		jobOwner: ev.Get("Job-Owner-UUID"),
	}
}

var contentTypes = [3]string{"text/event-plain", "text/event-json", "text/event-xml"}

// frame returns the full wire frame in format f.
func (w *wireEvent) frame(f esl.Format, corrupt bool) []byte {
	if int(f) >= len(contentTypes) {
		f = esl.FormatPlain
	}
	w.mu.Lock()
	body := w.enc[f]
	if body == nil {
		body = w.serialize(f)
		w.enc[f] = body
	}
	w.mu.Unlock()
	if corrupt {
		body = corruptBody(f, body)
	}
	return eventFrame(contentTypes[f], body)
}

func (w *wireEvent) serialize(f esl.Format) []byte {
	switch f {
	case esl.FormatJSON:
		return w.ev.AppendJSON(nil)
	case esl.FormatXML:
		return w.ev.AppendXML(nil)
	}
	return w.ev.AppendPlain(nil)
}

// Raw header text injected by the CorruptEvents fault: invalid UTF-8 and a
// malformed % escape.
const (
	badUTF8   = "\xff\xfe\xc3"
	badEscape = "100%zz%4"
)

// corruptBody inserts the bad headers right after the first header.
func corruptBody(f esl.Format, body []byte) []byte {
	var at int
	var ins string
	switch f {
	case esl.FormatJSON:
		at, ins = 1, `"X-Bad-UTF8":"`+badUTF8+`","X-Bad-Escape":"`+badEscape+`",`
	case esl.FormatXML:
		at = bytes.Index(body, []byte("<headers>")) + len("<headers>")
		ins = "<X-Bad-UTF8>" + badUTF8 + "</X-Bad-UTF8><X-Bad-Escape>" + badEscape + "</X-Bad-Escape>"
	default:
		at = bytes.IndexByte(body, '\n') + 1
		ins = "X-Bad-UTF8: " + badUTF8 + "\nX-Bad-Escape: " + badEscape + "\n"
	}
	if at <= 0 || at > len(body) {
		return body
	}
	out := make([]byte, 0, len(body)+len(ins))
	out = append(append(append(out, body[:at]...), ins...), body[at:]...)
	return out
}
