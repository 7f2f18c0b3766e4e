package esl

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestConnReplaysCapturedStreams feeds real FreeSWITCH byte streams to a
// Conn: every event must reach a subscriber, and the final disconnect
// notice must end the connection.
func TestConnReplaysCapturedStreams(t *testing.T) {
	for _, name := range []string{"inbound-events-plain.txt", "inbound-events-json.txt", "inbound-events-xml.txt", "inbound-bgapi.txt"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/freeswitch-1.10.12/" + name)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Count(string(raw), "Content-Type: text/event-")
			subscribed := make(chan struct{})
			c := dialConn(t, ConnOptions{Node: "fs1"}, func(p *peer) {
				<-subscribed
				p.send(string(raw))
				p.read() // the notice alone must end the conn
			})
			sub := c.Subscribe(SubscribeOptions{})
			close(subscribed)
			n := 0
			for ev := range sub.C {
				if ev.Name() == "" || ev.Node != "fs1" {
					t.Errorf("event %d: name %q node %q", n, ev.Name(), ev.Node)
				}
				n++
			}
			if n != want {
				t.Errorf("got %d events, want %d", n, want)
			}
			if err := c.Err(); !errors.Is(err, ErrConnLost) || !strings.Contains(err.Error(), "disconnect notice") {
				t.Errorf("Err() = %v", err)
			}
		})
	}
}
