package bench

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// callStreams builds the issue's "realistic mix of channel events of 2-14
// KB with 60-280 headers": the channel events of the plain capture (the
// CHANNEL_* and CALL_* ones; both legs of the call), each leg grown by
// esltest.GrowCall the way a SIP call accumulates variables, then sent
// once in plain and once in JSON ("calls"), or in one format only
// ("calls-plain", "calls-json").
func callStreams() (map[string]*eventStream, error) {
	evs, err := captureChannelEvents("inbound-events-plain.txt")
	if err != nil {
		return nil, err
	}
	plain := serializeStream(evs, esl.FormatPlain)
	json := serializeStream(evs, esl.FormatJSON)
	return map[string]*eventStream{"calls-plain": plain, "calls-json": json, "calls": concatStreams(plain, json)}, nil
}

// captureChannelEvents reads a capture and grows its call legs
// (esltest.GrownCallEvents).
func captureChannelEvents(file string) ([]*esl.Event, error) {
	raw, err := os.ReadFile(filepath.Join(fixtureDir, file))
	if err != nil {
		return nil, err
	}
	return esltest.GrownCallEvents(raw)
}

// serializeStream writes every event as one frame in format f.
func serializeStream(evs []*esl.Event, f esl.Format) *eventStream {
	s := &eventStream{}
	ctype := map[esl.Format]string{esl.FormatPlain: esl.TypeEventPlain, esl.FormatJSON: esl.TypeEventJSON}[f]
	for _, ev := range evs {
		var body []byte
		if f == esl.FormatJSON {
			body = ev.AppendJSON(nil)
		} else {
			body = ev.AppendPlain(nil)
		}
		n := len(s.data)
		s.data = append(s.data, "Content-Length: "+strconv.Itoa(len(body))+"\nContent-Type: "+ctype+"\n\n"...)
		s.data = append(s.data, body...)
		s.seq = append(s.seq, ev.Get("Event-Sequence"))
		s.fmts = append(s.fmts, ctype)
		s.size = append(s.size, len(s.data)-n)
		s.hdrs = append(s.hdrs, ev.Len())
	}
	return s
}

// concatStreams is a followed by b.
func concatStreams(a, b *eventStream) *eventStream {
	return &eventStream{
		data: slices.Concat(a.data, b.data),
		seq:  slices.Concat(a.seq, b.seq),
		fmts: slices.Concat(a.fmts, b.fmts),
		size: slices.Concat(a.size, b.size),
		hdrs: slices.Concat(a.hdrs, b.hdrs),
	}
}
