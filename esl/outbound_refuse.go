package esl

import (
	"context"
	"errors"
	"net"
	"time"
)

// A refused outbound connection cannot simply be closed: FreeSWITCH's
// async socket app parks the channel once the connection ends or connects,
// and a park that begins after the connection ended is never released
// (see outbound_park.go); the call would stay in the socket app for good.
// So a refusal speaks just enough of the protocol to hand the call back:
// the handshake, the refusal reason in a channel variable (Server.RefusedVar,
// when control is full), the proof of park, "exit".
// The socket app then returns and the dialplan continues after it, where a
// fallback can read the variable.

// refuseTimeout bounds the whole exchange with a refused peer.
const refuseTimeout = 5 * time.Second

// maxRefusing bounds the refused connections handled at once; past it a
// refused connection is closed at once (a flood must not cost unbounded
// goroutines).
const maxRefusing = 256

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

// reject reports a refused connection and hands its call back to
// FreeSWITCH on a goroutine of its own.
func (s *Server) reject(nc net.Conn, reason error) {
	s.logger().Info("esl: outbound connection refused", "peer", nc.RemoteAddr().String(), "reason", reason)
	if s.OnReject != nil {
		s.OnReject(nc.RemoteAddr(), reason)
	}
	if !s.takeRefusing() {
		s.logger().Warn("esl: too many refused connections at once; closing without handing the call back",
			"peer", nc.RemoteAddr().String())
		nc.Close()
		return
	}
	go func() {
		defer s.doneRefusing()
		s.handBack(nc, RefusalReason(reason))
	}()
}

// handBack runs the refusal exchange on nc: the usual handshake, the
// reason in RefusedVar, then the usual end.
func (s *Server) handBack(nc net.Conn, reason string) {
	sess, err := s.handshakeWithin(nc, refuseTimeout)
	if err == nil && s.RefusedVar != "" && sess.Data.Get("Control") == "full" {
		ctx, cancel := context.WithTimeout(context.Background(), refuseTimeout)
		err = sess.setVar(ctx, s.RefusedVar, reason)
		cancel()
	}
	if err != nil {
		s.logger().Warn("esl: refused outbound connection: handing the call back failed",
			"peer", nc.RemoteAddr().String(), "err", err)
		if sess != nil {
			sess.Close()
		}
		return
	}
	s.finish(sess)
}

// setVar sets a channel variable of the session's call with "api
// uuid_setvar" (no application runs).
func (sess *Session) setVar(ctx context.Context, name, value string) error {
	_, err := sess.API(ctx, "uuid_setvar "+sess.uuid+" "+name+" "+value)
	return err
}

func (s *Server) takeRefusing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refusing >= maxRefusing {
		return false
	}
	s.refusing++
	return true
}

func (s *Server) doneRefusing() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusing--
}
