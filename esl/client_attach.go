package esl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
)

// ErrBadUUID is returned by Attach for an empty uuid or one holding
// spaces or line breaks (it would change the command on the wire).
var ErrBadUUID = errors.New("esl: invalid call uuid")

// Attach takes control of an existing call of this client's FreeSWITCH
// on a NEW inbound connection, opened with the client's address and
// options (auth or userauth with the same password, never logged). It
// sends, in order:
//
//	myevents <uuid>                 only this call's events; FreeSWITCH
//	                                ends the connection when it hangs up
//	event plain BACKGROUND_JOB      so that BgAPI works on it
//	api uuid_dump <uuid> json       the channel data, kept as Data
//
// The returned Session behaves like an outbound one: Execute sends
// "sendmsg <uuid>" with event-lock and its own Event-UUID and waits for
// the matching CHANNEL_EXECUTE_COMPLETE, failing with ErrHangup at the
// call's hangup and ErrConnLost when the socket goes; Hangup, HungUp,
// Events, API and BgAPI work as there. The connection never reconnects.
// Close ends it and leaves the call up. An unknown or finished call fails
// with a *CommandError ("invalid uuid").
func (c *Client) Attach(ctx context.Context, uuid string) (*Session, error) {
	if err := c.checkAttach(uuid); err != nil {
		return nil, err
	}
	nc, err := (&net.Dialer{Timeout: c.opts.DialTimeout}).DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("esl: attach %s: dial %s: %w", uuid, c.addr, err)
	}
	s := newSession()
	s.uuid, s.target = uuid, uuid
	s.Conn = NewConn(withEndHook(nc, s.markEnded), ConnOptions{
		Node: c.opts.Node, Logger: c.opts.Logger, OnEvent: s.onEvent, OnFrame: s.onFrame,
	})
	if err := c.attachSetup(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// checkAttach refuses a closed client and a malformed uuid.
func (c *Client) checkAttach(uuid string) error {
	if uuid == "" || strings.ContainsAny(uuid, " \t\r\n") {
		return fmt.Errorf("%w: %q", ErrBadUUID, uuid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	return nil
}

// attachSetup authenticates, subscribes and loads Data, each step within
// AuthTimeout.
func (c *Client) attachSetup(ctx context.Context, s *Session) error {
	actx, cancel := context.WithTimeout(ctx, c.opts.AuthTimeout)
	defer cancel()
	if err := authenticate(actx, s.Conn, c.authCommand()); err != nil {
		return c.authError(ctx, err)
	}
	// Subscribe on our side before myevents so no event can be missed.
	s.sub = s.Subscribe(SubscribeOptions{Queue: DefaultSessionQueue})
	for _, cmd := range []Command{
		MyEvents{UUID: s.uuid},
		EventCmd{Format: FormatPlain, Names: []string{"BACKGROUND_JOB"}},
	} {
		if _, err := s.Send(actx, cmd); err != nil {
			return fmt.Errorf("esl: attach %s: %w", s.uuid, err)
		}
	}
	return s.loadData(actx)
}

// loadData fetches the call's channel data with "api uuid_dump <uuid>
// json" (a CHANNEL_DATA event as JSON).
func (s *Session) loadData(ctx context.Context) error {
	out, err := s.API(ctx, "uuid_dump "+s.uuid+" json")
	if err != nil {
		return fmt.Errorf("esl: attach %s: uuid_dump: %w", s.uuid, err)
	}
	ev, err := ParseEvent(FormatJSON, []byte(out))
	if err != nil {
		return fmt.Errorf("esl: attach %s: uuid_dump: %w", s.uuid, err)
	}
	s.Data = ev
	return nil
}
