package esl

import (
	"context"
	"fmt"
	"net"
)

// serveConn runs one outbound connection from handshake to close: after
// the handshake it takes a session slot, or hands a refused call back
// (reason: admit's refusal, else the slot's).
func (s *Server) serveConn(nc net.Conn, reason error) {
	sess, err := s.handshake(nc)
	s.doneHandshake()
	if err != nil {
		s.logger().Warn("esl: outbound handshake failed", "peer", nc.RemoteAddr().String(), "err", err)
		return
	}
	if reason == nil {
		if reason = s.acquire(); reason != nil {
			s.reportRefusal(nc.RemoteAddr(), reason)
		}
	}
	if reason != nil {
		s.handBack(sess, RefusalReason(reason))
		return
	}
	defer s.release()
	s.run(sess)
	s.finish(sess)
}

// handshake sends connect first (FreeSWITCH discards the reply of any
// other first command), reads the channel data, then subscribes and
// lingers, all within HandshakeTimeout.
func (s *Server) handshake(nc net.Conn) (*Session, error) {
	sess := newSession()
	sess.Conn = NewConn(withEndHook(nc, sess.markEnded), ConnOptions{
		Node: s.Node, Logger: s.Logger, OnEvent: sess.onEvent, OnFrame: sess.onFrame,
	})
	ctx, cancel := context.WithTimeout(context.Background(), positiveOr(s.HandshakeTimeout, DefaultHandshakeTimeout))
	defer cancel()
	if err := s.setup(ctx, sess); err != nil {
		sess.Close()
		return nil, fmt.Errorf("esl: outbound handshake: %w", err)
	}
	return sess, nil
}

// setup is the handshake's command sequence. "connect" and "myevents" go
// out in one write, so that FreeSWITCH subscribes the call's events before
// its channel parks and the CHANNEL_PARK that proves the park reaches us
// (see outbound_park.go).
func (s *Server) setup(ctx context.Context, sess *Session) error {
	// Subscribe on our side first so no event can be missed.
	sess.sub = sess.Subscribe(SubscribeOptions{Queue: positiveOr(s.EventQueue, DefaultSessionQueue)})
	replies, err := sess.pipeline(ctx, Connect{}, MyEvents{})
	if len(replies) > 0 {
		if cerr := sess.connected(replies[0]); cerr != nil {
			return cerr
		}
	}
	if err != nil {
		return err
	}
	for _, cmd := range s.subscriptions(sess) {
		if _, err := sess.Send(ctx, cmd); err != nil {
			return err
		}
	}
	return nil
}

// subscriptions lists what to send after connect and myevents. Without
// "full" control FreeSWITCH refuses event and linger, so they are skipped
// (bgapi results and CHANNEL_HANGUP_COMPLETE are then not delivered).
func (s *Server) subscriptions(sess *Session) []Command {
	if sess.Data.Get("Control") != "full" {
		s.logger().Warn("esl: outbound socket without full control: no bgapi events, no linger",
			"uuid", sess.uuid, "control", sess.Data.Get("Control"))
		return nil
	}
	cmds := []Command{EventCmd{Format: FormatPlain, Names: []string{"BACKGROUND_JOB"}}}
	if !s.NoLinger {
		cmds = append(cmds, Linger{})
	}
	return cmds
}

// run calls the Handler with a context cancelled when the socket ends
// (by the reader as it stops: no goroutine per call waits for it). A
// panicking handler is logged and ends only its own session.
func (s *Server) run(sess *Session) {
	ctx, cancel := context.WithCancel(sess.ended)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			s.logger().Error("esl: outbound handler panicked", "uuid", sess.uuid, "panic", fmt.Sprint(p))
		}
	}()
	s.Handler(ctx, sess)
}

// finish ends the socket the way that releases the call: once the
// channel's park is known to have begun (see outbound_park.go) it sends
// "exit" (FreeSWITCH answers "+OK bye", sends the disconnect notice and
// closes; the socket app returns and the dialplan goes on), waits for the
// close within ExitTimeout, then closes our side. FreeSWITCH having closed
// first is normal.
func (s *Server) finish(sess *Session) {
	defer sess.Close()
	select {
	case <-sess.Done():
		return
	default:
	}
	if sess.closingByPeer() {
		return // the reader is ending the socket after the notice
	}
	ctx, cancel := context.WithTimeout(context.Background(), positiveOr(s.ExitTimeout, DefaultExitTimeout))
	defer cancel()
	if err := sess.ensureParked(ctx); err != nil {
		s.logger().Warn("esl: outbound call not proven parked before exit; FreeSWITCH may keep it in the socket app",
			"uuid", sess.uuid, "err", err)
	}
	if _, err := sess.Send(ctx, Exit{}); err != nil {
		return
	}
	select {
	case <-sess.Done():
	case <-ctx.Done():
	}
}
