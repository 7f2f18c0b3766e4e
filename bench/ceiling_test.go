package bench

import (
	"context"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Target 1: parse + decode of 3 headers per event against the rate at
// which the same bytes can merely be read off a loopback socket. Both
// sub-benchmarks read the same fake server, which blasts the "mix" stream
// b.N times after "event plain ALL"; one op is one pass of the stream.
// The target is measured on "mix"; "plain" and "json" show where the time
// goes.
func BenchmarkLoopback(b *testing.B) {
	for _, name := range []string{"calls", "calls-plain", "calls-json", "mix", "plain", "json"} {
		s := loadStream(b, name)
		b.Run(name+"/read", func(b *testing.B) { benchRead(b, s) })
		b.Run(name+"/parse", func(b *testing.B) {
			benchConnParse(b, s, [3]string{"Event-Name", "Unique-ID", "Event-Sequence"})
		})
		b.Run(name+"/parse-transient", func(b *testing.B) {
			benchTransientParse(b, s, [3]string{"Event-Name", "Unique-ID", "Event-Sequence"})
		})
		b.Run(name+"/parse-encoded", func(b *testing.B) {
			benchConnParse(b, s, [3]string{"Event-Name", "Unique-ID", "Event-Date-Local"})
		})
	}
}

// preamble is what the server sends before the blast: the greeting and
// the reply to "event plain ALL".
const preamble = "Content-Type: auth/request\n\n" + "Content-Type: command/reply\nReply-Text: +OK\n\n"

// readBuf is the ceiling's read buffer: the size esl.ReadFrames and a busy
// Conn read into (256 KiB), so that both sides make reads of the same
// size. (The bare read is as fast into 64 KiB: 546-633k against 505-641k
// events/s on "calls", 4 runs each, fourth session.)
const readBuf = 256 << 10

// benchRead is the ceiling: a bare loopback read into a readBuf buffer,
// counting bytes, nothing else.
func benchRead(b *testing.B, s *eventStream) {
	srv := startServer(b, s.data, b.N)
	nc, err := net.Dial("tcp", srv.addr())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	total := len(preamble) + b.N*len(s.data)
	buf := make([]byte, readBuf)
	m := startMeter(b, s)
	if _, err := nc.Write([]byte("event plain ALL\n\n")); err != nil {
		b.Fatal(err)
	}
	for got := 0; got < total; {
		n, err := nc.Read(buf)
		got += n
		if err != nil && got < total {
			b.Fatalf("read after %d of %d bytes: %v", got, total, err)
		}
	}
	m.stop(b)
}

// benchConnParse runs the real reader (esl.NewConn: socket -> Parser ->
// ParseEvent) and decodes three headers per event in ConnOptions.OnEvent,
// on the reader goroutine. When the third header is Event-Sequence, the
// order is checked against the stream.
func benchConnParse(b *testing.B, s *eventStream, hdrs [3]string) {
	srv := startServer(b, s.data, b.N)
	nc, err := net.Dial("tcp", srv.addr())
	if err != nil {
		b.Fatal(err)
	}
	total := b.N * len(s.seq)
	var seen, bad atomic.Int64
	done := make(chan struct{})
	checkSeq := hdrs[2] == "Event-Sequence"
	onEvent := func(ev *esl.Event) {
		i := seen.Load()
		name, id, third := ev.Get(hdrs[0]), ev.Get(hdrs[1]), ev.Get(hdrs[2])
		if name == "" || third == "" || (checkSeq && third != s.seq[i%int64(len(s.seq))]) {
			bad.Store(i + 1)
		}
		_ = id // absent on HEARTBEAT, API, RE_SCHEDULE: a miss is part of the cost
		if seen.Add(1) == int64(total) {
			close(done)
		}
	}
	c := esl.NewConn(nc, esl.ConnOptions{OnEvent: onEvent})
	defer c.Close()
	m := startMeter(b, s)
	if _, err := c.Send(context.Background(), esl.EventCmd{Names: []string{"ALL"}}); err != nil {
		b.Fatal(err)
	}
	select {
	case <-done:
	case <-c.Done():
		b.Fatalf("connection ended after %d of %d events: %v", seen.Load(), total, c.Err())
	}
	m.stop(b)
	if i := bad.Load(); i != 0 {
		b.Fatalf("event %d: missing header or out of order (want Event-Sequence %s)", i-1, s.seq[(i-1)%int64(len(s.seq))])
	}
}

// meter times a stream benchmark and counts allocations per event (the
// whole process: server, reader and consumer).
type meter struct {
	s       *eventStream
	start   time.Time
	mallocs uint64
}

// startMeter resets the benchmark timer and starts counting.
func startMeter(b *testing.B, s *eventStream) *meter {
	b.SetBytes(int64(len(s.data)))
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ResetTimer()
	return &meter{s: s, start: time.Now(), mallocs: ms.Mallocs}
}

// stop stops the timer and reports events/s and allocs/event.
func (m *meter) stop(b *testing.B) {
	elapsed := time.Since(m.start)
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	events := float64(b.N * len(m.s.seq))
	b.ReportMetric(events/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(ms.Mallocs-m.mallocs)/events, "allocs/event")
}
