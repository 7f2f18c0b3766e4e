package esl

import (
	"strconv"
	"testing"
)

// consumerBodies returns the plain event bodies of the fixtures, each with
// "variable_bench_seq: <i>" as its last header line (where FreeSWITCH puts
// channel variables), like the host's consumer benchmark stream.
func consumerBodies(b *testing.B) [][]byte {
	stream, _ := eventStream(b, TypeEventPlain)
	var bodies [][]byte
	_ = NewParser(0).Feed(stream, func(f *Frame) error {
		ev := parsePlain(f.Clone().Body, false)
		line := "variable_bench_seq: " + strconv.Itoa(len(bodies)+1) + "\n"
		body := ev.s[:ev.hend] + line + ev.s[ev.hend:]
		bodies = append(bodies, []byte(body))
		return nil
	})
	return bodies
}

// BenchmarkEventLookups: ParseEvent and the lookups a consumer does per
// event, on plain bodies already in memory. "host" is what the host and a
// Lua handler ask (Name, UniqueID, then Event-Name, Unique-ID and one
// variable); "three" is the bench module's Event-Name, Unique-ID,
// Event-Sequence; "parse" is ParseEvent alone; "index" builds the index of
// every header line (Len).
func BenchmarkEventLookups(b *testing.B) {
	bodies := consumerBodies(b)
	cases := []struct {
		name string
		fn   func(ev *Event) int
	}{
		{"host", func(ev *Event) int {
			return len(ev.Name()) + len(ev.UniqueID()) + len(ev.Get("Event-Name")) +
				len(ev.Get("Unique-ID")) + len(ev.Var("bench_seq"))
		}},
		{"three", func(ev *Event) int {
			return len(ev.Get("Event-Name")) + len(ev.Get("Unique-ID")) + len(ev.Get("Event-Sequence"))
		}},
		{"parse", func(ev *Event) int { return len(ev.s) }},
		{"index", func(ev *Event) int { return ev.Len() }},
		{"var", func(ev *Event) int { return len(ev.Get("variable_bench_seq")) }},
		{"miss", func(ev *Event) int { return len(ev.Get("X-Absent")) + 1 }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, body := range bodies {
					ev, _ := ParseEvent(FormatPlain, body)
					n += c.fn(ev)
				}
			}
			b.ReportMetric(float64(len(bodies)*b.N)/b.Elapsed().Seconds(), "events/s")
			if n == 0 {
				b.Fatal("nothing read")
			}
		})
	}
}
