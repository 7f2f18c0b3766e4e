package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/percipia/eslgo"
	"github.com/percipia/eslgo/command"
)

// stallTimeout fails a delivery run that makes no progress for this long.
const stallTimeout = 20 * time.Second

// delivery runs one client against a blasting server: it must call
// start right before sending "event plain ALL" (the benchmark resets its
// timer there) and return how many events it delivered, or an error on
// loss, disorder or a stall.
type delivery func(addr string, s *eventStream, total int, start func()) (int, error)

// Target 2: inbound events delivered to a Go subscriber over loopback,
// ours against eslgo on the same bytes. One op is one pass of the stream.
func BenchmarkDeliver(b *testing.B) {
	for _, name := range []string{"calls", "calls-plain", "mix", "plain"} {
		s := loadStream(b, name)
		b.Run(name+"/esl", func(b *testing.B) { benchDeliver(b, s, deliverOurs) })
		b.Run(name+"/esl-borrow", func(b *testing.B) { benchDeliver(b, s, deliverBorrowed) })
		b.Run(name+"/eslgo", func(b *testing.B) { benchDeliver(b, s, deliverEslgo) })
	}
}

// benchDeliver runs one delivery with b.N passes of the stream.
func benchDeliver(b *testing.B, s *eventStream, run delivery) {
	srv := startServer(b, s.data, b.N)
	var m *meter
	total := b.N * len(s.seq)
	got, err := run(srv.addr(), s, total, func() { m = startMeter(b, s) })
	if err != nil {
		b.Fatal(err)
	}
	if m == nil {
		b.Fatal("delivery never started")
	}
	m.stop(b)
	if got != total {
		b.Fatalf("delivered %d of %d events", got, total)
	}
}

// deliverOurs dials with esl.Dial, subscribes, and reads Subscription.C,
// checking every event's Event-Sequence against the stream's order.
func deliverOurs(addr string, s *eventStream, total int, start func()) (int, error) {
	return deliverEsl(addr, s, total, start, false)
}

// deliverBorrowed is deliverOurs with a Borrow subscription: each event
// is released once checked, so the reader reuses its memory.
func deliverBorrowed(addr string, s *eventStream, total int, start func()) (int, error) {
	return deliverEsl(addr, s, total, start, true)
}

// deliverEsl runs deliverOurs, borrowing or not.
func deliverEsl(addr string, s *eventStream, total int, start func(), borrow bool) (int, error) {
	ctx := context.Background()
	c, err := esl.Dial(ctx, addr, esl.Options{Password: "ClueCon"})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	sub := c.Subscribe(esl.SubscribeOptions{Borrow: borrow})
	start()
	if err := c.Events(ctx, "ALL"); err != nil {
		return 0, err
	}
	stall := time.NewTimer(stallTimeout)
	defer stall.Stop()
	for i := range total {
		var ev *esl.Event
		select {
		case ev = <-sub.C:
		case <-stall.C:
			return i, fmt.Errorf("esl: stalled after %d of %d events (dropped %d)", i, total, sub.Dropped())
		}
		if ev == nil {
			return i, fmt.Errorf("esl: subscription closed after %d events", i)
		}
		if got, want := ev.Get("Event-Sequence"), s.seq[i%len(s.seq)]; got != want {
			return i, fmt.Errorf("esl: event %d has Event-Sequence %s, want %s (lost or out of order; dropped %d)",
				i, got, want, sub.Dropped())
		}
		ev.Release()
		if i&1023 == 1023 {
			stall.Reset(stallTimeout)
		}
	}
	return total, nil
}

// deliverEslgo dials with eslgo and counts the events its listener gets.
// eslgo calls every listener on a new goroutine per event, so the order is
// not kept: only the count is checked.
func deliverEslgo(addr string, _ *eventStream, total int, start func()) (int, error) {
	return eslgoRun(addr, total, start, nil)
}

// eslgoRun is deliverEslgo; seen, if set, gets each event's Event-Sequence.
func eslgoRun(addr string, total int, start func(), seen func(string)) (int, error) {
	opts := eslgo.DefaultInboundOptions
	opts.Logger = nil // eslgo.NilLogger
	opts.Password = "ClueCon"
	conn, err := opts.Dial(addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var got atomic.Int64
	var mu sync.Mutex
	done := make(chan struct{})
	conn.RegisterEventListener(eslgo.EventListenAll, func(ev *eslgo.Event) {
		if seen != nil {
			mu.Lock()
			seen(ev.GetHeader("Event-Sequence"))
			mu.Unlock()
		}
		if got.Add(1) == int64(total) {
			close(done)
		}
	})
	start()
	ctx, cancel := context.WithTimeout(context.Background(), stallTimeout)
	defer cancel()
	if _, err := conn.SendCommand(ctx, command.Event{Format: "plain", Listen: []string{"ALL"}}); err != nil {
		return 0, err
	}
	return waitCount(done, &got, total)
}

// waitCount waits for done, failing when the count stops moving.
func waitCount(done <-chan struct{}, got *atomic.Int64, total int) (int, error) {
	last := int64(-1)
	tick := time.NewTicker(stallTimeout)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return total, nil
		case <-tick.C:
			n := got.Load()
			if n == last {
				return int(n), fmt.Errorf("eslgo: stalled after %d of %d events", n, total)
			}
			last = n
		}
	}
}

// TestDeliverAllEvents: both clients receive every event of a short
// stream (3 passes of the mix); ours in order.
func TestDeliverAllEvents(t *testing.T) {
	s := loadStream(t, "mix")
	const passes = 3
	total := passes * len(s.seq)
	for name, run := range map[string]delivery{"esl": deliverOurs, "eslgo": deliverEslgo} {
		srv := startServer(t, s.data, passes)
		got, err := run(srv.addr(), s, total, func() {})
		if err != nil || got != total {
			t.Fatalf("%s: delivered %d of %d: %v", name, got, total, err)
		}
	}
}

// TestEslgoOrder measures (and logs) how many plain events eslgo hands
// to its listener out of wire order; it asserts only that none is lost.
func TestEslgoOrder(t *testing.T) {
	s := loadStream(t, "plain")
	const passes = 20
	total := passes * len(s.seq)
	srv := startServer(t, s.data, passes)
	var order []string
	got, err := eslgoRun(srv.addr(), total, func() {}, func(q string) { order = append(order, q) })
	if err != nil || got != total {
		t.Fatalf("eslgo: delivered %d of %d: %v", got, total, err)
	}
	misplaced := 0
	for i, q := range order {
		if q != s.seq[i%len(s.seq)] {
			misplaced++
		}
	}
	t.Logf("eslgo: %d of %d events reached the listener out of wire order", misplaced, total)
}
