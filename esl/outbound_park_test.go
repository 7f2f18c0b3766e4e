package esl

import (
	"bufio"
	"context"
	"net"
	"testing"
	"time"
)

// obNoCommandFor requires that the server sends nothing for d: it is
// waiting for something from FreeSWITCH.
func (f *obFakeFS) noCommandFor(d time.Duration) {
	f.t.Helper()
	_ = f.nc.SetReadDeadline(time.Now().Add(d))
	if b, err := f.r.Peek(1); err == nil {
		f.t.Fatalf("fake FS: server sent %q while it should wait", b)
	} else if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		f.t.Fatalf("fake FS: %v while the server should wait", err)
	}
	_ = f.nc.SetReadDeadline(time.Now().Add(obTimeout))
	f.r = bufio.NewReader(f.nc) // a timed-out Peek leaves the reader unusable
}

// A handler that returns before the channel parked: no "exit" until the
// CHANNEL_PARK arrives (an unanswered channel's park loop fires no
// PRIVATE_COMMAND, so there is no probe).
func TestOutboundExitWaitsForPark(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshakeUnparked(fx.connectReply()) // Answer-State: ringing
	obWait(t, h.sessions)
	h.run <- func(ctx context.Context, s *Session) {}
	f.noCommandFor(150 * time.Millisecond)
	f.parked(fx.connectReply())
	f.exit(fx.uuid())
}

// An answered channel is probed: PRIVATE_COMMAND subscribed, a sendmsg
// with an unknown call-command queued, and "exit" only after the
// PRIVATE_COMMAND that the park loop fires for it.
func TestOutboundExitProbesAnsweredPark(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshakeUnparked(fx.connectReply())
	s := obWait(t, h.sessions)
	f.event(fx.eventBody(t, "CHANNEL_ANSWER", 0))
	if ev := obWait(t, s.Events()); ev.Name() != "CHANNEL_ANSWER" {
		t.Fatalf("event %s", ev.Name())
	}
	h.run <- func(ctx context.Context, s *Session) {}
	f.expectCmd("event plain PRIVATE_COMMAND\n\n")
	f.reply("+OK event listener enabled plain")
	f.expectCmd("sendmsg\ncall-command: eslscript-park-probe\n\n")
	f.reply("+OK")
	f.noCommandFor(100 * time.Millisecond)
	f.event("Event-Name: PRIVATE_COMMAND\nUnique-ID: " + fx.uuid() + "\ncall-command: eslscript-park-probe\n\n")
	f.exit(fx.uuid())
}

// After a hangup no proof is needed: the park loop does not run on a
// channel that is not ready.
func TestOutboundExitAfterHangupNeedsNoPark(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshakeUnparked(fx.connectReply())
	s := obWait(t, h.sessions)
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	obWait(t, s.HungUp())
	h.run <- func(ctx context.Context, s *Session) {}
	f.exit(fx.uuid())
}

// A refused call gets the reason in RefusedVar with "api uuid_setvar"
// (no application runs on it), then the proof of park and "exit".
func TestOutboundRefusalSetsVariable(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle, MaxSessions: 1, RefusedVar: "why"}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	s := obWait(t, h.sessions)

	extra := obDial(t, addr)
	extra.handshakeUnparked(fx.connectReply())
	extra.expectCmd("api uuid_setvar " + fx.uuid() + " why max_calls\n\n")
	extra.write("Content-Type: api/response\nContent-Length: 4\n\n+OK\n")
	extra.noCommandFor(100 * time.Millisecond)
	extra.parked(fx.connectReply())
	extra.exit(fx.uuid())
	obEndSession(t, f, h, s.UUID())
}
