package host_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// benchFixture is the real FreeSWITCH capture the consumer benchmarks
// replay: one originate/park/kill call, two legs, plain events.
var benchFixture = filepath.Join("..", "esl", "testdata", "freeswitch-1.10.12", "inbound-events-plain.txt")

// benchSeqVar is the channel variable carrying a leg's event counter.
const benchSeqVar = "bench_seq"

// tmplEvent is one call event of the capture: its plain body and the
// index of its leg (0 or 1, in order of appearance).
type tmplEvent struct {
	body []byte
	leg  int
}

// benchStream is a pre-serialized block of event frames: calls copies of
// the captured call, interleaved round-robin (event i of every call, then
// event i+1), each leg with its own Unique-ID and a counter variable that
// goes 1, 2, 3... per leg. offs[i] is where frame i starts; offs[n] is
// len(data).
type benchStream struct {
	data  []byte
	offs  []int
	calls int
	legs  []string // the capture's original leg uuids
}

// events returns the number of frames in the block.
func (s *benchStream) events() int { return len(s.offs) - 1 }

// avgFrame returns the mean frame size in bytes.
func (s *benchStream) avgFrame() int { return len(s.data) / s.events() }

var (
	streamMu    sync.Mutex
	streamCache = map[int]*benchStream{}
)

// loadBenchStream builds (once per size) the block of calls interleaved calls.
func loadBenchStream(tb testing.TB, calls int) *benchStream {
	tb.Helper()
	streamMu.Lock()
	defer streamMu.Unlock()
	if s := streamCache[calls]; s != nil {
		return s
	}
	tmpl, legs, err := captureCallEvents(benchFixture)
	if err != nil {
		tb.Fatal(err)
	}
	s := buildBenchStream(tmpl, legs, calls)
	streamCache[calls] = s
	return s
}

// captureCallEvents returns the channel events of the capture grown by
// esltest.GrownCallEvents (2-14 KB, 60-280 headers: the realistic
// mix) as plain bodies in wire order, and the leg uuids.
func captureCallEvents(file string) ([]tmplEvent, []string, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	evs, err := esltest.GrownCallEvents(raw)
	if err != nil {
		return nil, nil, err
	}
	var legs []string
	out := make([]tmplEvent, len(evs))
	for i, ev := range evs {
		out[i] = tmplEvent{body: ev.AppendPlain(nil), leg: indexOrAppend(&legs, ev.UniqueID())}
	}
	if len(legs) != 2 {
		return nil, nil, fmt.Errorf("capture has %d legs, want 2", len(legs))
	}
	return out, legs, nil
}

func indexOrAppend(list *[]string, s string) int {
	for i, v := range *list {
		if v == s {
			return i
		}
	}
	*list = append(*list, s)
	return len(*list) - 1
}

// buildBenchStream lays out calls copies of tmpl, interleaved.
func buildBenchStream(tmpl []tmplEvent, legs []string, calls int) *benchStream {
	s := &benchStream{calls: calls, legs: legs}
	seq := make([][2]int, calls)
	for _, te := range tmpl {
		for c := range calls {
			seq[c][te.leg]++
			body := rewriteBody(te.body, legs, c, seq[c][te.leg])
			s.offs = append(s.offs, len(s.data))
			s.data = appendFrame(s.data, body)
		}
	}
	s.offs = append(s.offs, len(s.data))
	return s
}

// benchUUID is the uuid of leg of call c (36 characters, like the original).
func benchUUID(c, leg int) string {
	return fmt.Sprintf("b0000000-0000-4000-8000-%06x%06x", c, leg)
}

// rewriteBody gives a template body the uuids of call c and the counter n.
func rewriteBody(body []byte, legs []string, c, n int) []byte {
	for i, old := range legs {
		body = bytes.ReplaceAll(body, []byte(old), []byte(benchUUID(c, i)))
	}
	return insertHeader(body, "variable_"+benchSeqVar+": "+strconv.Itoa(n)+"\n")
}

// insertHeader adds line as the last header of a plain event body (before
// the inner Content-Length of an event that has a body), where FreeSWITCH
// puts channel variables.
func insertHeader(body []byte, line string) []byte {
	hend := bytes.Index(body, []byte("\n\n"))
	if hend < 0 {
		hend = len(body) - 1 // no inner body: the block ends with "\n"
	}
	at := hend + 1
	if i := bytes.LastIndexByte(body[:hend], '\n'); bytes.HasPrefix(body[i+1:], []byte("Content-Length:")) {
		at = i + 1
	}
	out := make([]byte, 0, len(body)+len(line))
	out = append(out, body[:at]...)
	out = append(out, line...)
	return append(out, body[at:]...)
}

// appendFrame appends the outer event frame FreeSWITCH writes around body.
func appendFrame(dst, body []byte) []byte {
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\nContent-Type: text/event-plain\n\n"...)
	return append(dst, body...)
}

// TestBenchStreamShape checks that the block parses back into the events
// it claims: the right count, every leg counting 1, 2, 3... in order.
func TestBenchStreamShape(t *testing.T) {
	s := loadBenchStream(t, 8)
	last := map[string]int{}
	n := 0
	err := esl.NewParser(0).Feed(s.data, func(f *esl.Frame) error {
		ev, err := esl.ParseEvent(esl.FormatPlain, bytes.Clone(f.Body))
		if err != nil {
			return err
		}
		id, seq := ev.Get("Unique-ID"), ev.Var(benchSeqVar)
		if want := strconv.Itoa(last[id] + 1); seq != want || ev.Name() == "" {
			return fmt.Errorf("event %d (%s %s): %s=%q, want %s", n, ev.Name(), id, benchSeqVar, seq, want)
		}
		last[id]++
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != s.events() || len(last) != 2*s.calls {
		t.Fatalf("parsed %d events of %d legs, want %d events of %d legs", n, len(last), s.events(), 2*s.calls)
	}
	t.Logf("%d events, %d bytes, mean frame %d bytes", n, len(s.data), s.avgFrame())
}
