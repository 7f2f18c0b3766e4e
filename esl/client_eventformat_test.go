package esl

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Options.EventFormat is the format of every "event" command the client
// sends: the first subscription, Events, and the replay after a
// reconnect (FreeSWITCH keeps the format of a connection's last "event"
// command, so one plain command would turn a JSON node back to plain).
// Events delivered in that format reach subscriptions.
func TestClientEventFormat(t *testing.T) {
	const jsonEvent = `{"Event-Name":"CHANNEL_ANSWER","Unique-ID":"abc","Multi":"a","Multi":"b"}`
	first := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		p.send(frGreeting)
		p.expect("auth " + testPassword + "\n\n")
		p.send(frReply("+OK accepted"))
		p.expect("event json BACKGROUND_JOB\n\n")
		p.send(frReply("+OK event listener enabled json"))
		p.expect("event json CHANNEL_ANSWER\n\n")
		p.send(frReply("+OK event listener enabled json"))
		p.send(fmt.Sprintf("Content-Type: text/event-json\nContent-Length: %d\n\n%s", len(jsonEvent), jsonEvent))
		p.read() // until the server goes down
	})
	addr := first.addr()
	c, err := dialTest(addr, Options{EventFormat: FormatJSON, Reconnect: true,
		BackoffMin: time.Millisecond, BackoffMax: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sub := c.Subscribe(SubscribeOptions{})
	if err := c.Events(context.Background(), "CHANNEL_ANSWER"); err != nil {
		t.Fatal(err)
	}
	ev := recvWithin(t, sub.C)
	if ev.Format() != FormatJSON || ev.UniqueID() != "abc" || fmt.Sprint(ev.Values("Multi")) != "[a b]" {
		t.Errorf("event %v %q %q", ev.Format(), ev.UniqueID(), ev.Values("Multi"))
	}

	replay := make(chan string, 1)
	first.stop()
	startPeerServer(t, addr, func(p *peer) {
		p.send(frGreeting)
		p.expect("auth " + testPassword + "\n\n")
		p.send(frReply("+OK accepted"))
		replay <- p.read()
		p.send(frReply("+OK event listener enabled json"))
		p.read()
	})
	if got, want := recvWithin(t, replay), "event json BACKGROUND_JOB CHANNEL_ANSWER\n\n"; got != want {
		t.Errorf("replayed %q, want %q", got, want)
	}
}
