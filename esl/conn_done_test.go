package esl

import (
	"net"
	"testing"
)

// A subscription whose channel closed because the socket ended finds Done
// closed and Err set: code that learns of the end from its events (a call
// script's session) and then picks another route by Done must not pick
// the dead socket.
func TestDoneClosesBeforeSubscriptions(t *testing.T) {
	for i := range 300 {
		a, b := net.Pipe()
		c := NewConn(a, ConnOptions{})
		sub := c.Subscribe(SubscribeOptions{})
		b.Close()
		for range sub.C {
		}
		select {
		case <-c.Done():
		default:
			t.Fatalf("run %d: the subscription closed before Done", i)
		}
		if c.Err() == nil {
			t.Fatalf("run %d: Err is nil after the subscription closed", i)
		}
		c.Close()
	}
}
