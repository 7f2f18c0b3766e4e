package esltest

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestFaultCloseAfterCommand(t *testing.T) {
	s := fastSim(t, Options{Faults: Faults{CloseAfterCommands: 2}})
	c := authed(t, s)
	c.send("api status")
	c.expectClosed()
}

func TestFaultByteWrites(t *testing.T) {
	s := fastSim(t, Options{Faults: Faults{ByteWrites: true}})
	c := authed(t, s)
	if got := c.api("hostname"); got != "esltest" {
		t.Fatalf("hostname %q", got)
	}
}

func TestFaultCorruptEvents(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain HEARTBEAT")
	c.expectReply("+OK event listener enabled plain")
	s.SetFaults(Faults{CorruptEvents: true})
	s.Heartbeat()
	f := c.expectType("text/event-plain")
	if !strings.Contains(f.body, "\nX-Bad-UTF8: \xff\xfe\xc3\nX-Bad-Escape: 100%zz%4\n") {
		t.Fatalf("corrupt headers missing: %q", f.body[:200])
	}
	if !strings.HasPrefix(f.body, "Event-Name: HEARTBEAT\n") {
		t.Fatal("first header moved")
	}
}

func TestBigEventBody(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain CUSTOM big::body")
	c.expectReply("+OK event listener enabled plain")
	ev := s.CustomEvent("big::body")
	ev.SetBody(strings.Repeat("x", 8<<20))
	s.Fire(ev)
	e := c.event()
	if len(e.body) != 8<<20 {
		t.Fatalf("body %d bytes", len(e.body))
	}
}

func TestFloodKillsSlowListener(t *testing.T) {
	s := fastSim(t, Options{QueueLimit: 100})
	c := authed(t, s)
	c.send("event plain HEARTBEAT")
	c.expectReply("+OK event listener enabled plain")
	ev := s.NewEvent("HEARTBEAT")
	ev.SetBody(strings.Repeat("y", 4096))
	// The client is not reading meanwhile. FreeSWITCH (and the simulator)
	// kill a listener after maxMissed events lost in a row; while the
	// kernel still takes bytes, the writer keeps freeing queue slots, so
	// the flood goes on until the socket is full and the kill happens.
	fired := 0
	for ; fired < 200000 && !s.anyConnDead(); fired += 1000 {
		s.Flood(ev, 1000)
	}
	n := 0
	for {
		f, err := c.tryRead(5 * time.Second)
		if err == io.EOF {
			t.Fatalf("closed without the lost-events notice after %d events", n)
		}
		if err != nil {
			t.Fatalf("after %d events: %v (server: %s)", n, err, s.connStats())
		}
		if f.get("Content-Type") == "text/disconnect-notice" {
			if f.body != "killed listener because of lost events\n" {
				t.Fatalf("notice %q", f.body)
			}
			break
		}
		n++
	}
	if n >= fired {
		t.Fatalf("nothing was dropped (%d of %d events)", n, fired)
	}
	c.expectClosed()
}

func TestRestartSameAddress(t *testing.T) {
	s := fastSim(t, Options{})
	addr := s.Addr()
	c := authed(t, s)
	if err := s.Restart(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	f := c.read()
	if f.get("Content-Type") != "text/disconnect-notice" || f.body != "The system is being shut down.\n" {
		t.Fatalf("notice %q", f.raw+f.body)
	}
	c.expectClosed()
	if s.Addr() != addr {
		t.Fatalf("address changed %s -> %s", addr, s.Addr())
	}
	d := authed(t, s)
	if err := s.WaitConns(ctxT(t), 1); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	d.expectType("text/disconnect-notice")
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	authed(t, s)
}

// connStats describes every connection's queue, for failure messages.
// anyConnDead reports whether some connection was killed.
func (s *Server) anyConnDead() bool {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.mu.Lock()
		dead := c.dead
		c.mu.Unlock()
		if dead {
			return true
		}
	}
	return false
}

func (s *Server) connStats() string {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	var b strings.Builder
	for _, c := range conns {
		c.mu.Lock()
		fmt.Fprintf(&b, "[conn %d: queued %d written %d pending %d lost-in-a-row %d dead %v final %v] ",
			c.id, c.queued, c.written, len(c.events), c.lost, c.dead, c.finalSet)
		c.mu.Unlock()
	}
	return b.String()
}
