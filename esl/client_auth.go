package esl

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// connect dials, authenticates and replays the subscriptions.
func (c *Client) connect(ctx context.Context) (*Conn, error) {
	d := net.Dialer{Timeout: c.opts.DialTimeout}
	nc, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("esl: dial %s: %w", c.addr, err)
	}
	conn := NewConn(nc, ConnOptions{
		Node:    c.opts.Node,
		OnEvent: c.subs.publish,
		OnFrame: c.opts.OnFrame,
		Logger:  c.opts.Logger,
		lendTo:  &c.subs,
	})
	if err := c.setup(ctx, conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// setup authenticates within AuthTimeout, then replays subscriptions.
func (c *Client) setup(ctx context.Context, conn *Conn) error {
	actx, cancel := context.WithTimeout(ctx, c.opts.AuthTimeout)
	defer cancel()
	if err := authenticate(actx, conn, c.authCommand()); err != nil {
		return c.authError(ctx, err)
	}
	rctx, cancel2 := context.WithTimeout(ctx, c.opts.AuthTimeout)
	defer cancel2()
	return c.replay(rctx, conn)
}

// authCommand is auth or userauth.
func (c *Client) authCommand() Command {
	if c.opts.User != "" {
		return UserAuth{User: c.opts.User, Password: c.opts.Password}
	}
	return Auth{Password: c.opts.Password}
}

// authenticate waits for auth/request and sends the auth command.
func authenticate(ctx context.Context, conn *Conn, auth Command) error {
	select {
	case <-conn.greeted:
	case <-conn.Done():
		return conn.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
	_, err := conn.Send(ctx, auth)
	return err
}

// authError maps an authentication failure to the package sentinels.
// The texts never include the password: commands render it redacted.
func (c *Client) authError(ctx context.Context, err error) error {
	var ce *CommandError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("esl: dial %s: %w", c.addr, ctx.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return &connError{msg: fmt.Sprintf("%s (%s, %s)", ErrAuthTimeout, c.addr, c.opts.AuthTimeout), errs: []error{ErrAuthTimeout}}
	case errors.As(err, &ce) && ce.Text == "command not found":
		return &connError{msg: fmt.Sprintf("%s (%s: %s)", ErrNotAuthenticated, c.addr, ce), errs: []error{ErrNotAuthenticated, ce}}
	case errors.As(err, &ce):
		return &connError{msg: fmt.Sprintf("%s (%s: %s)", ErrAuthFailed, c.addr, ce), errs: []error{ErrAuthFailed, ce}}
	}
	return err
}
