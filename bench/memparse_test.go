package bench

import (
	"fmt"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// BenchmarkParseMemory is target 1's parse and decode without the socket:
// the stream is fed from memory in 64 KiB pieces (as the reads arrive),
// so ns/event is the CPU cost the parse adds to each event read.
func BenchmarkParseMemory(b *testing.B) {
	for _, name := range []string{"calls", "calls-plain", "calls-json"} {
		s := loadStream(b, name)
		for _, reuse := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/reuse=%v", name, reuse), func(b *testing.B) {
				hdrs := [3]string{"Event-Name", "Unique-ID", "Event-Sequence"}
				p := esl.NewParser(0)
				n := 0
				var one esl.Event
				onFrame := func(f *esl.Frame) error {
					format, ok := formatOf(f.ContentType())
					if !ok {
						return nil
					}
					ev := &one
					var err error
					if reuse {
						err = ev.Parse(format, f.Body)
					} else {
						ev, err = esl.ParseEvent(format, f.Body)
					}
					if err != nil {
						return err
					}
					if ev.Get(hdrs[0]) != "" && ev.Get(hdrs[1]) != "" && ev.Get(hdrs[2]) != "" {
						n++
					}
					return nil
				}
				b.SetBytes(int64(len(s.data)))
				b.ReportAllocs()
				for b.Loop() {
					for d := s.data; len(d) > 0; {
						k := min(len(d), 64<<10)
						if err := p.Feed(d[:k], onFrame); err != nil {
							b.Fatal(err)
						}
						d = d[k:]
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s.seq)), "ns/event")
				if n == 0 {
					b.Fatal("no event had the three headers")
				}
			})
		}
	}
}
