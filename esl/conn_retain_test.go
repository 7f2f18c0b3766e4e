package esl

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestRetainedEventsSurviveLaterReads keeps every event of a long stream
// (read without copying, straight from the reader's chunks) and checks each
// one still holds its own values after all later reads.
func TestRetainedEventsSurviveLaterReads(t *testing.T) {
	client, server := net.Pipe()
	c := NewConn(client, ConnOptions{})
	defer c.Close()
	sub := c.Subscribe(SubscribeOptions{Queue: 5000})
	const n = 3000
	go func() {
		for i := 0; i < n; i++ {
			body := fmt.Sprintf("Event-Name: CUSTOM\nSeq: %d\nPad: %s\n\n", i, strings.Repeat("x", i%700))
			fmt.Fprintf(server, "Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(body), body)
		}
	}()
	kept := make([]*Event, 0, n)
	deadline := time.After(10 * time.Second)
	for len(kept) < n {
		select {
		case ev := <-sub.C:
			kept = append(kept, ev)
		case <-deadline:
			t.Fatalf("got %d of %d events", len(kept), n)
		}
	}
	for i, ev := range kept {
		if got := ev.Get("Seq"); got != fmt.Sprint(i) {
			t.Fatalf("event %d: Seq = %q after later reads", i, got)
		}
		if got := len(ev.Get("Pad")); got != i%700 {
			t.Fatalf("event %d: Pad length %d, want %d", i, got, i%700)
		}
	}
}
