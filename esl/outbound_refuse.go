package esl

import (
	"context"
	"errors"
	"net"
)

// A refused outbound connection cannot simply be closed: FreeSWITCH's
// async socket app parks the channel once the connection ends or connects,
// and a park that begins after the connection ended is never released
// (see outbound_park.go); the call would stay in the socket app for good.
// So a refused call gets the usual handshake, the refusal reason in a
// channel variable (Server.RefusedVar, when control is full), the proof of
// park and "exit".
// The socket app then returns and the dialplan continues after it, where a
// fallback can read the variable.

// maxHandshakes bounds the connections in their handshake at once (a
// refused call's exchange included); past it a new connection is closed at
// once: a flood must not cost unbounded goroutines.
const maxHandshakes = 1024

// Refusal reasons, as RefusalReason names them.
const (
	RefusedNotAllowed   = "not_allowed"
	RefusedMaxSessions  = "max_calls"
	RefusedShuttingDown = "shutting_down"
)

// RefusalReason names the reason of a refused outbound connection (an
// error reported through Server.OnReject) with a short label:
// RefusedNotAllowed, RefusedMaxSessions, RefusedShuttingDown or "other".
func RefusalReason(err error) string {
	switch {
	case errors.Is(err, ErrPeerRefused):
		return RefusedNotAllowed
	case errors.Is(err, ErrTooManySessions):
		return RefusedMaxSessions
	case errors.Is(err, ErrServerClosed):
		return RefusedShuttingDown
	default:
		return "other"
	}
}

// reportRefusal logs a refused connection and tells OnReject.
func (s *Server) reportRefusal(addr net.Addr, reason error) {
	s.logger().Info("esl: outbound connection refused", "peer", addr.String(), "reason", reason)
	if s.OnReject != nil {
		s.OnReject(addr, reason)
	}
}

// handBack hands a refused call back to FreeSWITCH: the reason in
// RefusedVar, then the usual end.
func (s *Server) handBack(sess *Session, reason string) {
	if s.RefusedVar != "" && sess.Data.Get("Control") == "full" {
		ctx, cancel := context.WithTimeout(context.Background(), positiveOr(s.ExitTimeout, DefaultExitTimeout))
		err := sess.setVar(ctx, s.RefusedVar, reason)
		cancel()
		if err != nil {
			s.logger().Warn("esl: refused outbound call: setting its variable failed",
				"uuid", sess.uuid, "err", err)
		}
	}
	s.finish(sess)
}

// setVar sets a channel variable of the session's call with "api
// uuid_setvar" (no application runs).
func (sess *Session) setVar(ctx context.Context, name, value string) error {
	_, err := sess.API(ctx, "uuid_setvar "+sess.uuid+" "+name+" "+value)
	return err
}

func (s *Server) takeHandshake() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handshaking >= maxHandshakes {
		return false
	}
	s.handshaking++
	return true
}

func (s *Server) doneHandshake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handshaking--
}
