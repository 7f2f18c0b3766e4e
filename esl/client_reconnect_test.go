package esl

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// replayed is what a fresh connection must receive after auth.
var replayed = []string{
	"event plain BACKGROUND_JOB CHANNEL_ANSWER CUSTOM sofia::register\n\n",
	"filter Event-Name BACKGROUND_JOB\n\n",
	"filter Unique-ID abc\n\n",
}

func TestClientReconnect(t *testing.T) {
	before := runtime.NumGoroutine()
	states := make(chan StateChange, 1000)
	first := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if !authOK(p) {
			return
		}
		for _, want := range []string{"event plain CHANNEL_ANSWER CUSTOM sofia::register\n\n",
			"filter Event-Name BACKGROUND_JOB\n\n", "filter Unique-ID abc\n\n"} {
			p.expect(want)
			p.send(frReply("+OK"))
		}
		p.read() // until the server goes down
	})
	addr := first.addr()
	c, err := dialTest(addr, Options{Node: "fs1", Reconnect: true,
		BackoffMin: time.Millisecond, BackoffMax: 10 * time.Millisecond,
		OnState: func(sc StateChange) { states <- sc }})
	if err != nil {
		t.Fatal(err)
	}
	sub := c.Subscribe(SubscribeOptions{})
	ctx := context.Background()
	if err := c.Events(ctx, "CHANNEL_ANSWER", "CUSTOM sofia::register"); err != nil {
		t.Fatal(err)
	}
	if err := c.Filter(ctx, "Unique-ID", "abc"); err != nil {
		t.Fatal(err)
	}
	expectState(t, states, StateConnected, 0)

	first.stop() // FreeSWITCH goes down
	lost := expectState(t, states, StateLost, 0)
	if !errors.Is(lost.Err, ErrConnLost) || lost.Node != "fs1" {
		t.Errorf("lost: %+v", lost)
	}
	if _, err := c.API(ctx, "status"); !errors.Is(err, ErrNotConnected) {
		t.Errorf("API while down: %v, want ErrNotConnected", err)
	}
	expectState(t, states, StateReconnecting, 1)
	expectState(t, states, StateReconnecting, 2) // attempt 1 failed: nobody listens

	received := make(chan []string, 1)
	startPeerServer(t, addr, func(p *peer) { // FreeSWITCH is back
		p.send(frGreeting)
		p.expect("auth " + testPassword + "\n\n")
		p.send(frReply("+OK accepted"))
		var got []string
		for range replayed {
			got = append(got, p.read())
			p.send(frReply("+OK"))
		}
		received <- got
		p.send(frEvent("", "Event-Name", "CHANNEL_ANSWER", "Unique-ID", "abc"))
		p.read()
	})
	connected := skipReconnecting(t, states)
	if connected.State != StateConnected || connected.Attempt < 2 {
		t.Errorf("after reconnecting: %+v, want StateConnected", connected)
	}
	if got := recvWithin(t, received); fmt.Sprint(got) != fmt.Sprint(replayed) {
		t.Errorf("replayed after reconnect:\n got %q\nwant %q", got, replayed)
	}
	ev := recvWithin(t, sub.C)
	if ev.Name() != "CHANNEL_ANSWER" || ev.Node != "fs1" {
		t.Errorf("old subscription got %q from %q", ev.Name(), ev.Node)
	}
	_ = c.Close()
	expectState(t, states, StateClosed, 0)
	select {
	case sc := <-states:
		t.Errorf("state after Closed: %+v", sc)
	default:
	}
	waitGoroutines(t, before+2) // the second test server still runs
}

// expectState reads the next state change and checks it.
func expectState(t *testing.T, states <-chan StateChange, want State, attempt int) StateChange {
	t.Helper()
	sc := recvWithin(t, states)
	if sc.State != want || sc.Attempt != attempt {
		t.Fatalf("state %v attempt %d, want %v attempt %d (err %v)", sc.State, sc.Attempt, want, attempt, sc.Err)
	}
	return sc
}

// skipReconnecting returns the first change that is not a further
// reconnect attempt, checking that attempts count up by one.
func skipReconnecting(t *testing.T, states <-chan StateChange) StateChange {
	t.Helper()
	next := 3
	for {
		sc := recvWithin(t, states)
		if sc.State != StateReconnecting {
			if sc.Attempt != next-1 {
				t.Errorf("connected at attempt %d, last attempt was %d", sc.Attempt, next-1)
			}
			return sc
		}
		if sc.Attempt != next {
			t.Fatalf("attempt %d, want %d", sc.Attempt, next)
		}
		next++
	}
}

func TestClientNoReconnect(t *testing.T) {
	states := make(chan StateChange, 10)
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if authOK(p) {
			p.send(frBye)
		}
	})
	c, err := dialTest(s.addr(), Options{OnState: func(sc StateChange) { states <- sc }})
	if err != nil {
		t.Fatal(err)
	}
	expectState(t, states, StateConnected, 0)
	expectState(t, states, StateLost, 0)
	if _, err := c.API(context.Background(), "status"); !errors.Is(err, ErrConnLost) {
		t.Errorf("API after loss without Reconnect: %v, want ErrConnLost", err)
	}
	_ = c.Close()
	expectState(t, states, StateClosed, 0)
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{opts: Options{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second}.withDefaults()}
	for attempt := 1; attempt < 70; attempt++ {
		hi := min(time.Second, 100*time.Millisecond<<min(attempt, 20))
		for range 50 {
			if d := c.backoff(attempt); d < 100*time.Millisecond || d > hi {
				t.Fatalf("attempt %d: backoff %v outside [100ms, %v]", attempt, d, hi)
			}
		}
	}
}
