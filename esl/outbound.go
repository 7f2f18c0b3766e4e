package esl

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// ErrPeerRefused is reported through Server.OnReject when Server.Allow
// refused a peer.
var ErrPeerRefused = errors.New("esl: outbound peer refused")

// Default outbound timeouts and sizes.
const (
	// DefaultHandshakeTimeout bounds connect + myevents + event + linger
	// (FreeSWITCH answers in milliseconds).
	DefaultHandshakeTimeout = 5 * time.Second
	// DefaultExitTimeout bounds the "exit" exchange when a handler returns.
	DefaultExitTimeout = 5 * time.Second
	// DefaultSessionQueue is the length of Session.Events' bounded queue.
	DefaultSessionQueue = 4096
)

// Handler serves one outbound call. When it returns the server sends
// "exit" and closes the socket. Its ctx is cancelled as soon as the socket
// ends, so blocking calls made with it return; it is not cancelled by the
// hangup, so the handler can still read CHANNEL_HANGUP_COMPLETE from
// Events. Return soon after HungUp: while the socket lingers FreeSWITCH
// keeps the channel alive.
type Handler func(ctx context.Context, s *Session)

// Server accepts FreeSWITCH's outbound `socket` connections (use
// "async full" in the dialplan). The zero value plus a Handler is ready to
// Serve. A Server must not be copied after first use.
type Server struct {
	// Handler runs once per call, on its own goroutine.
	Handler Handler
	// MaxSessions caps concurrent calls (0 = unlimited). Extra connections
	// are reported through OnReject and their calls handed back.
	MaxSessions int
	// Allow, if set, decides whether a peer may connect. Refused peers are
	// reported through OnReject with ErrPeerRefused; their calls are handed
	// back to FreeSWITCH.
	Allow func(addr net.Addr) bool
	// OnReject is told about every refused connection. A refused call is
	// handed back to FreeSWITCH, not dropped (see outbound_refuse.go): the
	// socket app returns and the dialplan continues after it.
	OnReject func(addr net.Addr, reason error)
	// RefusedVar, if set, is the channel variable that a refused call gets
	// set to the refusal's reason (RefusalReason) before it is handed back.
	RefusedVar string
	// NoLinger disables "linger" (by default sessions linger so that
	// CHANNEL_HANGUP_COMPLETE is not lost).
	NoLinger bool
	// Node is stamped on every event of every session (Event.Node).
	Node string
	// HandshakeTimeout bounds the wait for the connect reply and the
	// subscription replies (DefaultHandshakeTimeout when zero). A peer
	// that connects and sends nothing is closed after it.
	HandshakeTimeout time.Duration
	// ExitTimeout bounds the final "exit" exchange (DefaultExitTimeout when
	// zero).
	ExitTimeout time.Duration
	// EventQueue is the length of each Session.Events queue
	// (DefaultSessionQueue when zero).
	EventQueue int
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger

	mu          sync.Mutex
	listeners   map[net.Listener]struct{}
	active      int
	handshaking int // connections in their handshake (maxHandshakes)
	closing     bool
	idle        chan struct{} // closed when active drops to 0 while closing
}

// Serve accepts connections on l until Shutdown, then returns
// ErrServerClosed. Other Accept errors (such as running out of file
// descriptors) are logged and retried with a backoff of up to one second;
// if l is closed by someone else, Serve returns that error. It closes l
// before it returns.
func (s *Server) Serve(l net.Listener) error {
	if !s.track(l) {
		l.Close()
		return ErrServerClosed
	}
	defer s.untrack(l)
	var delay time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			if s.isClosing() {
				return ErrServerClosed
			}
			if delay = acceptBackoff(err, delay); delay == 0 {
				return err
			}
			s.logger().Warn("esl: outbound accept failed", "err", err, "retry_in", delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		s.admit(nc)
	}
}

// acceptBackoff returns how long to wait after an Accept error before
// trying again (0 when the listener is closed), doubling up to one second.
// Errors such as "too many open files" pass once sessions end.
func acceptBackoff(err error, prev time.Duration) time.Duration {
	if errors.Is(err, net.ErrClosed) {
		return 0
	}
	return min(max(2*prev, 5*time.Millisecond), time.Second)
}

// admit applies Allow, then runs the connection's handshake on a new
// goroutine: MaxSessions is applied once the call is known, so that a peer
// that connects and sends nothing holds no call slot (only a handshake
// slot, for HandshakeTimeout).
func (s *Server) admit(nc net.Conn) {
	var reason error
	if s.Allow != nil && !s.Allow(nc.RemoteAddr()) {
		reason = ErrPeerRefused
		s.reportRefusal(nc.RemoteAddr(), reason)
	}
	if !s.takeHandshake() {
		s.logger().Warn("esl: too many outbound handshakes at once; closing the connection",
			"peer", nc.RemoteAddr().String(), "max", maxHandshakes)
		nc.Close()
		return
	}
	go s.serveConn(nc, reason)
}

// Shutdown stops accepting and waits for live sessions to end or ctx to
// expire, then returns ctx.Err(). It never hangs up calls or closes live
// sockets: the caller decides what to do with sessions still running.
func (s *Server) Shutdown(ctx context.Context) error {
	idle := s.beginClose()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Active returns the number of live sessions (calls whose handler runs or
// is about to; connections still in their handshake are not counted).
func (s *Server) Active() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// track registers a listener; false once the server is closing.
func (s *Server) track(l net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	if s.listeners == nil {
		s.listeners = make(map[net.Listener]struct{})
	}
	s.listeners[l] = struct{}{}
	return true
}

// untrack forgets and closes a listener.
func (s *Server) untrack(l net.Listener) {
	s.mu.Lock()
	delete(s.listeners, l)
	s.mu.Unlock()
	l.Close()
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// beginClose marks the server closing, closes every listener and returns a
// channel closed once no session is left.
func (s *Server) beginClose() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closing {
		s.closing = true
		s.idle = make(chan struct{})
		for l := range s.listeners {
			l.Close()
		}
		if s.active == 0 {
			close(s.idle)
		}
	}
	return s.idle
}

// acquire takes a session slot. It fails with ErrTooManySessions when
// MaxSessions is reached and ErrServerClosed once Shutdown began.
func (s *Server) acquire() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return ErrServerClosed
	}
	if s.MaxSessions > 0 && s.active >= s.MaxSessions {
		return ErrTooManySessions
	}
	s.active++
	return nil
}

// release gives a session slot back.
func (s *Server) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	if s.active == 0 && s.closing {
		close(s.idle)
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func positiveOr[T ~int | ~int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
