package bench

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// fixtureDir holds the real FreeSWITCH 1.10.12 captures of the main module.
const fixtureDir = "../esl/testdata/freeswitch-1.10.12"

// eventStream is the benchmark stream: every event frame (outer headers
// included) of the plain and the JSON capture of the same call, in wire
// order, plain first.
type eventStream struct {
	data []byte   // the frames, back to back
	seq  []string // Event-Sequence of each event, in order
	fmts []string // content type of each event
	size []int    // frame size in bytes
	hdrs []int    // number of event headers
}

var (
	streamOnce  sync.Once
	streamCache map[string]*eventStream
	streamErr   error
)

// loadStream returns the stream named "mix" (plain + JSON), "plain" or
// "json" (the captures as they are), or "calls", "calls-plain" or
// "calls-json" (the mix of grown channel events, callStreams).
func loadStream(tb testing.TB, name string) *eventStream {
	tb.Helper()
	streamOnce.Do(func() { streamCache, streamErr = buildStreams() })
	if streamErr != nil {
		tb.Fatal(streamErr)
	}
	s := streamCache[name]
	if s == nil || len(s.seq) == 0 {
		tb.Fatalf("no stream %q", name)
	}
	return s
}

// buildStreams reads both captures and keeps their event frames.
func buildStreams() (map[string]*eventStream, error) {
	plain, err := fixtureEvents("inbound-events-plain.txt")
	if err != nil {
		return nil, err
	}
	json, err := fixtureEvents("inbound-events-json.txt")
	if err != nil {
		return nil, err
	}
	streams, err := callStreams()
	if err != nil {
		return nil, err
	}
	streams["plain"], streams["json"], streams["mix"] = plain, json, concatStreams(plain, json)
	return streams, nil
}

// fixtureEvents extracts the event frames of one capture.
func fixtureEvents(file string) (*eventStream, error) {
	raw, err := os.ReadFile(filepath.Join(fixtureDir, file))
	if err != nil {
		return nil, err
	}
	s := &eventStream{}
	err = esl.NewParser(0).Feed(raw, func(f *esl.Frame) error {
		format, ok := eventFormat(f.ContentType())
		if !ok {
			return nil
		}
		ev, err := esl.ParseEvent(format, append([]byte(nil), f.Body...))
		if err != nil {
			return err
		}
		n := len(s.data)
		s.data = append(s.data, f.HeaderBlock()...)
		s.data = append(s.data, '\n')
		s.data = append(s.data, f.Body...)
		s.seq = append(s.seq, ev.Get("Event-Sequence"))
		s.fmts = append(s.fmts, f.ContentType())
		s.size = append(s.size, len(s.data)-n)
		s.hdrs = append(s.hdrs, ev.Len())
		return nil
	})
	return s, err
}

// eventFormat maps an event content type to its format.
func eventFormat(ct string) (esl.Format, bool) {
	switch ct {
	case esl.TypeEventPlain:
		return esl.FormatPlain, true
	case esl.TypeEventJSON:
		return esl.FormatJSON, true
	}
	return 0, false
}

// TestStreamShape checks the stream is usable for order checks (every
// event has an Event-Sequence different from its neighbour's) and logs
// its shape.
func TestStreamShape(t *testing.T) {
	for _, name := range []string{"plain", "json", "mix", "calls-plain", "calls-json", "calls"} {
		s := loadStream(t, name)
		for i, q := range s.seq {
			if q == "" || q == s.seq[(i+1)%len(s.seq)] {
				t.Fatalf("%s: event %d has Event-Sequence %q (empty or same as next)", name, i, q)
			}
		}
		t.Logf("%s: %d events, %d bytes; frame %d-%d bytes, %d-%d headers", name, len(s.seq), len(s.data),
			slices.Min(s.size), slices.Max(s.size), slices.Min(s.hdrs), slices.Max(s.hdrs))
	}
}
