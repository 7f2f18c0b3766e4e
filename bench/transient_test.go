package bench

import (
	"errors"
	"net"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// errDone stops Feed once every event of the run is parsed.
var errDone = errors.New("done")

// benchTransientParse is target 1 without retention: esl.ReadFrames reads
// the socket into one reused buffer (completing frames that straddle reads
// in place), every event goes through Event.Parse (into one reused Event),
// and three headers are decoded; the event is used inside the callback
// only, so nothing is copied or allocated per event. It is what
// parsing and decoding cost on top of the read. The "parse" variant is the
// real retaining reader (events may be kept), where every byte lands in
// fresh memory.
func benchTransientParse(b *testing.B, s *eventStream, hdrs [3]string) {
	srv := startServer(b, s.data, b.N)
	nc, err := net.Dial("tcp", srv.addr())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	total, seen, bad := b.N*len(s.seq), 0, -1
	checkSeq := hdrs[2] == "Event-Sequence"
	ev := new(esl.Event) // reused: Event.Parse, nothing is kept
	onFrame := func(f *esl.Frame) error {
		format, ok := formatOf(f.ContentType())
		if !ok {
			return nil
		}
		if err := ev.Parse(format, f.Body); err != nil {
			return err
		}
		name, _, third := ev.Get(hdrs[0]), ev.Get(hdrs[1]), ev.Get(hdrs[2])
		if bad < 0 && (name == "" || third == "" || (checkSeq && third != s.seq[seen%len(s.seq)])) {
			bad = seen
		}
		if seen++; seen == total {
			return errDone
		}
		return nil
	}
	m := startMeter(b, s)
	if _, err := nc.Write([]byte("event plain ALL\n\n")); err != nil {
		b.Fatal(err)
	}
	if err := esl.ReadFrames(nc, onFrame); !errors.Is(err, errDone) {
		b.Fatalf("after %d of %d events: %v", seen, total, err)
	}
	m.stop(b)
	if bad >= 0 {
		b.Fatalf("event %d: missing header or out of order", bad)
	}
}

// formatOf maps an event content type to its format.
func formatOf(ct string) (esl.Format, bool) {
	switch ct {
	case esl.TypeEventPlain:
		return esl.FormatPlain, true
	case esl.TypeEventJSON:
		return esl.FormatJSON, true
	case esl.TypeEventXML:
		return esl.FormatXML, true
	}
	return 0, false
}
