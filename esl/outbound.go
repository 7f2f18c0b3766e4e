package esl

import (
	"context"
	"net"
)

// Handler serves one outbound call. When it returns the server sends
// "exit" and closes the socket.
type Handler func(ctx context.Context, s *Session)

// Server accepts FreeSWITCH's outbound `socket` connections (use
// "async full" in the dialplan).
type Server struct {
	// Handler runs once per call, on its own goroutine.
	Handler Handler
	// MaxSessions caps concurrent calls (0 = unlimited). Extra connections
	// are closed at once and reported through OnReject.
	MaxSessions int
	// Allow, if set, decides whether a peer may connect.
	Allow func(addr net.Addr) bool
	// OnReject is told about every refused connection.
	OnReject func(addr net.Addr, reason error)
	// NoLinger disables "linger" (by default sessions linger so that
	// CHANNEL_HANGUP_COMPLETE is not lost).
	NoLinger bool
	// TODO(H3)
}

// Serve accepts connections until Shutdown or a listener error.
func (s *Server) Serve(l net.Listener) error { panic("TODO") }

// Shutdown stops accepting and waits for live sessions to end or ctx to
// expire; it does not hang up calls.
func (s *Server) Shutdown(ctx context.Context) error { panic("TODO") }

// Active returns the number of live sessions.
func (s *Server) Active() int { panic("TODO") }

// Session is one outbound call's socket: after connect it holds the
// CHANNEL_DATA, subscribes to the call's events (myevents) and BACKGROUND_JOB,
// and lingers.
type Session struct {
	*Conn
	// Data is the CHANNEL_DATA from the connect reply.
	Data *Event
	// TODO(H3)
}

// UUID returns the call's Unique-ID.
func (s *Session) UUID() string { panic("TODO") }

// Execute runs a dialplan application with event-lock and our own
// Event-UUID, and returns its CHANNEL_EXECUTE_COMPLETE event. It fails with
// ErrHangup as soon as the call hangs up, or ErrConnLost when the socket
// closes. Long or multi-line args go in a body.
func (s *Session) Execute(ctx context.Context, app, arg string) (*Event, error) { panic("TODO") }

// Hangup hangs the call up with a cause (NORMAL_CLEARING when empty).
func (s *Session) Hangup(ctx context.Context, cause string) error { panic("TODO") }

// Events delivers every event of this call in order (DTMF included).
func (s *Session) Events() <-chan *Event { panic("TODO") }

// HungUp is closed when CHANNEL_HANGUP arrives or the socket ends.
func (s *Session) HungUp() <-chan struct{} { panic("TODO") }

// HangupCause returns the Hangup-Cause once hung up.
func (s *Session) HangupCause() string { panic("TODO") }
