package esl

import (
	"context"
	"fmt"
	"net"
)

// serveConn runs one outbound connection from handshake to close. The
// session slot was taken by admit.
func (s *Server) serveConn(nc net.Conn) {
	defer s.release()
	sess, err := s.handshake(nc)
	if err != nil {
		s.logger().Warn("esl: outbound handshake failed", "peer", nc.RemoteAddr().String(), "err", err)
		return
	}
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

// setup is the handshake's command sequence.
func (s *Server) setup(ctx context.Context, sess *Session) error {
	if err := sess.connect(ctx); err != nil {
		return err
	}
	// Subscribe on our side before myevents so no event can be missed.
	sess.sub = sess.Subscribe(SubscribeOptions{Queue: positiveOr(s.EventQueue, DefaultSessionQueue)})
	for _, cmd := range s.subscriptions(sess) {
		if _, err := sess.Send(ctx, cmd); err != nil {
			return err
		}
	}
	return nil
}

// subscriptions lists what to send after connect. Without "full" control
// FreeSWITCH refuses event and linger, so they are skipped (bgapi results
// and CHANNEL_HANGUP_COMPLETE are then not delivered).
func (s *Server) subscriptions(sess *Session) []Command {
	cmds := []Command{MyEvents{}}
	if sess.Data.Get("Control") != "full" {
		s.logger().Warn("esl: outbound socket without full control: no bgapi events, no linger",
			"uuid", sess.uuid, "control", sess.Data.Get("Control"))
		return cmds
	}
	cmds = append(cmds, EventCmd{Format: FormatPlain, Names: []string{"BACKGROUND_JOB"}})
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

// finish sends "exit" (FreeSWITCH answers "+OK bye", sends the disconnect
// notice and closes), waits for the close within ExitTimeout, then closes
// our side. FreeSWITCH having closed first is normal.
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
	if _, err := sess.Send(ctx, Exit{}); err != nil {
		return
	}
	select {
	case <-sess.Done():
	case <-ctx.Done():
	}
}
