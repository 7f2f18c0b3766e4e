package esl

import (
	"io"
	"net"
	"testing"
	"time"
)

// eventStream concatenates every event frame of one content type found in
// the fixtures (outer headers included): a realistic mix of channel events
// of 1-14 KB with up to ~280 headers.
func eventStream(b *testing.B, ct string) ([]byte, int) {
	var stream []byte
	n := 0
	for _, data := range fsFixtures(b) {
		_ = NewParser(0).Feed(data, func(f *Frame) error {
			if f.ContentType() == ct {
				stream = append(stream, f.HeaderBlock()...)
				stream = append(stream, '\n')
				stream = append(stream, f.Body...)
				n++
			}
			return nil
		})
	}
	if n == 0 {
		b.Fatal("no events")
	}
	return stream, n
}

// benchParse does what the connection reader does per event: frame, copy
// the body (1 allocation), ParseEvent (1 allocation) and read 3 headers.
func benchParse(b *testing.B, ct string, format Format) {
	stream, events := eventStream(b, ct)
	p := NewParser(0)
	seen := 0
	fn := func(f *Frame) error {
		if f.ContentType() != ct {
			return nil
		}
		body := make([]byte, len(f.Body))
		copy(body, f.Body)
		ev, err := ParseEvent(format, body)
		if err != nil {
			return err
		}
		if ev.Get("Event-Name") != "" && ev.Get("Unique-ID") != "" && ev.Var("channel_name") != "" {
			seen++
		}
		return nil
	}
	const chunk = 64 << 10
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for off := 0; off < len(stream); off += chunk {
			if err := p.Feed(stream[off:min(off+chunk, len(stream))], fn); err != nil {
				b.Fatal(err)
			}
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(events*b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(events), "events/op")
	if seen == 0 {
		b.Fatal("no event had all three headers")
	}
}

// BenchmarkParseEvents: the plain event mix, framed, copied, parsed, 3
// headers decoded per event.
func BenchmarkParseEvents(b *testing.B) { benchParse(b, TypeEventPlain, FormatPlain) }

// BenchmarkParseEventsJSON: the same for the JSON event mix.
func BenchmarkParseEventsJSON(b *testing.B) { benchParse(b, TypeEventJSON, FormatJSON) }

// BenchmarkLoopbackRead is the ceiling: the same plain event bytes merely
// read off a loopback TCP socket into a 64 KiB buffer, no parsing.
func BenchmarkLoopbackRead(b *testing.B) {
	stream, events := eventStream(b, TypeEventPlain)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Skip("no loopback:", err)
	}
	defer ln.Close()
	total := len(stream) * b.N
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for i := 0; i < b.N; i++ {
			if _, err := c.Write(stream); err != nil {
				return
			}
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for got := 0; got < total; {
		n, err := c.Read(buf)
		got += n
		if err == io.EOF && got < total {
			b.Fatalf("EOF after %d of %d bytes", got, total)
		} else if err != nil && err != io.EOF {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(events*b.N)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkParseEventsOwned isolates this package's share of
// BenchmarkParseEvents: ParseEvent and 3 header reads on bodies the caller
// already owns (no framing, no body copy; 1 allocation per event).
func BenchmarkParseEventsOwned(b *testing.B) {
	stream, events := eventStream(b, TypeEventPlain)
	var bodies [][]byte
	_ = NewParser(0).Feed(stream, func(f *Frame) error {
		bodies = append(bodies, f.Clone().Body)
		return nil
	})
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, body := range bodies {
			ev, _ := ParseEvent(FormatPlain, body)
			n += len(ev.Get("Event-Name")) + len(ev.Get("Unique-ID")) + len(ev.Var("channel_name"))
		}
	}
	b.ReportMetric(float64(events*b.N)/time.Since(start).Seconds(), "events/s")
	if n == 0 {
		b.Fatal("nothing read")
	}
}

// BenchmarkParseBodies: ParseEvent + the 3 headers the bench module's
// target-1 benchmark reads (Event-Name, Unique-ID, Event-Sequence), on
// bodies already in memory: the parse cost alone, per format.
func BenchmarkParseBodies(b *testing.B) {
	for _, c := range []struct {
		ct     string
		format Format
	}{{TypeEventPlain, FormatPlain}, {TypeEventJSON, FormatJSON}} {
		b.Run(c.format.String(), func(b *testing.B) {
			stream, events := eventStream(b, c.ct)
			var bodies [][]byte
			_ = NewParser(0).Feed(stream, func(f *Frame) error {
				bodies = append(bodies, f.Clone().Body)
				return nil
			})
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, body := range bodies {
					ev, _ := ParseEvent(c.format, body)
					n += len(ev.Get("Event-Name")) + len(ev.Get("Unique-ID")) + len(ev.Get("Event-Sequence"))
				}
			}
			b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
			if n == 0 {
				b.Fatal("nothing read")
			}
		})
	}
}
