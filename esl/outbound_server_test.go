package esl

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

type obRejection struct {
	addr   net.Addr
	reason error
}

func TestOutboundMaxSessions(t *testing.T) {
	h := newObHandler()
	rejected := make(chan obRejection, 1)
	srv := &Server{Handler: h.handle, MaxSessions: 1, OnReject: func(a net.Addr, r error) { rejected <- obRejection{a, r} }}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	s := obWait(t, h.sessions)
	if n := srv.Active(); n != 1 {
		t.Errorf("Active = %d, want 1", n)
	}

	// The refused call is handed back to FreeSWITCH: handshake, proof of
	// park, exit (closing at once would leave it parked for good).
	extra := obDial(t, addr)
	extra.handshake(fx.connectReply())
	extra.exit(fx.uuid())
	r := obWait(t, rejected)
	if !errors.Is(r.reason, ErrTooManySessions) || r.addr.String() != extra.nc.LocalAddr().String() {
		t.Errorf("OnReject(%v, %v), want %v and ErrTooManySessions", r.addr, r.reason, extra.nc.LocalAddr())
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundAllowRefuses(t *testing.T) {
	rejected := make(chan obRejection, 1)
	asked := make(chan net.Addr, 1)
	srv := &Server{
		Handler:  func(context.Context, *Session) { t.Error("handler ran for a refused peer") },
		Allow:    func(a net.Addr) bool { asked <- a; return false },
		OnReject: func(a net.Addr, r error) { rejected <- obRejection{a, r} },
	}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	f.exit(fx.uuid())
	if a := obWait(t, asked); a.String() != f.nc.LocalAddr().String() {
		t.Errorf("Allow asked about %v, want %v", a, f.nc.LocalAddr())
	}
	if r := obWait(t, rejected); !errors.Is(r.reason, ErrPeerRefused) {
		t.Errorf("OnReject reason %v, want ErrPeerRefused", r.reason)
	}
	if n := srv.Active(); n != 0 {
		t.Errorf("Active = %d", n)
	}
}

func TestOutboundShutdownWaitsForLiveSession(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	fx := obLoadFixture(t)
	f := obDial(t, l.Addr().String())
	f.handshake(fx.connectReply())
	s := obWait(t, h.sessions)

	// A short deadline expires while the call is live; the call is untouched.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
	}
	if err := obWaitErr(t, served); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve = %v, want ErrServerClosed", err)
	}
	if _, err := net.DialTimeout("tcp", l.Addr().String(), obTimeout); err == nil {
		t.Error("listener still accepts after Shutdown")
	}
	if s.isDown() || srv.Active() != 1 {
		t.Fatalf("live session disturbed by Shutdown (down %v, active %d)", s.isDown(), srv.Active())
	}

	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(context.Background()) }()
	obEndSession(t, f, h, s.UUID())
	if err := obWaitErr(t, done); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	if n := srv.Active(); n != 0 {
		t.Errorf("Active = %d after Shutdown", n)
	}
	if err := srv.Serve(l); !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve after Shutdown = %v", err)
	}
}

func TestOutboundHandlerPanicEndsOnlyItsSession(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle}
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	s := obWait(t, h.sessions)
	h.run <- func(context.Context, *Session) { panic("script bug") }
	f.exit(s.UUID())
	// The server still serves the next call.
	g := obDial(t, addr)
	g.handshake(fx.connectReply())
	obEndSession(t, g, h, obWait(t, h.sessions).UUID())
}

// A peer that connects and answers nothing holds no call slot: with
// MaxSessions 1, a real call placed meanwhile runs; the silent peer is
// closed after HandshakeTimeout.
func TestOutboundSilentPeerHoldsNoSlot(t *testing.T) {
	h := newObHandler()
	srv := &Server{Handler: h.handle, MaxSessions: 1, HandshakeTimeout: 300 * time.Millisecond}
	addr, _ := obServer(t, srv)
	silent := obDial(t, addr)
	silent.expectCmd("connect\n\n")
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	s := obWait(t, h.sessions)
	silent.expectCmd("myevents\n\n")
	silent.expectEOF()
	obEndSession(t, f, h, s.UUID())
}
