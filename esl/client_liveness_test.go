package esl

import (
	"strings"
	"testing"
	"time"
)

// A FreeSWITCH that keeps the socket open but stops answering after auth
// is noticed: the probe goes unanswered and the connection counts as lost.
func TestLivenessSilentPeerIsLost(t *testing.T) {
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if authOK(p) {
			p.expect("api uptime\n\n") // and never answer
		}
		p.read()
	})
	states := make(chan StateChange, 8)
	c, err := dialTest(s.addr(), Options{Liveness: 300 * time.Millisecond, OnState: func(sc StateChange) { states <- sc }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	deadline := time.After(testWait)
	for {
		select {
		case sc := <-states:
			if sc.State != StateLost {
				continue
			}
			if sc.Err == nil || !strings.Contains(sc.Err.Error(), "no reply from FreeSWITCH") {
				t.Fatalf("lost with %v", sc.Err)
			}
			return
		case <-deadline:
			t.Fatal("a silent FreeSWITCH was not noticed")
		}
	}
}

// A FreeSWITCH that answers the probe keeps its connection, however quiet.
func TestLivenessAnsweredProbeKeepsConnection(t *testing.T) {
	probes := make(chan struct{}, 16)
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if !authOK(p) {
			return
		}
		for {
			switch cmd := p.read(); cmd {
			case "": // the client closed
				return
			case "api uptime\n\n":
				p.send(frAPI("42\n"))
				probes <- struct{}{}
			default:
				t.Errorf("unexpected command %q", cmd)
				return
			}
		}
	})
	lost := make(chan StateChange, 8)
	c, err := dialTest(s.addr(), Options{Liveness: 150 * time.Millisecond, OnState: func(sc StateChange) {
		if sc.State == StateLost {
			lost <- sc
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 3 {
		select {
		case <-probes:
		case sc := <-lost:
			t.Fatalf("lost: %v", sc.Err)
		case <-time.After(testWait):
			t.Fatal("no probe")
		}
	}
	if st := c.State(); st != StateConnected {
		t.Fatalf("state %v", st)
	}
}
