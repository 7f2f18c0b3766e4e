package esl

import (
	"math/rand/v2"
	"time"
)

// install makes conn the live connection and reports StateConnected.
// It refuses (and closes conn) once the client is closed.
func (c *Client) install(conn *Conn, attempt int) bool {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		_ = conn.Close()
		return false
	}
	c.conn = conn
	c.mu.Unlock()
	go c.watchLiveness(conn)
	c.report(StateChange{State: StateConnected, Attempt: attempt})
	return true
}

// supervise watches the live connection, reconnects if asked, and
// reports StateClosed when the client is closed.
func (c *Client) supervise(conn *Conn) {
	defer close(c.supDone)
	defer c.finish()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-conn.Done():
		}
		if c.ctx.Err() != nil {
			return
		}
		c.lost(conn)
		if !c.opts.Reconnect {
			<-c.ctx.Done()
			return
		}
		if conn = c.reconnect(); conn == nil {
			return
		}
	}
}

// lost reports a loss; with Reconnect, calls now get ErrNotConnected.
func (c *Client) lost(conn *Conn) {
	if c.opts.Reconnect {
		c.mu.Lock()
		c.conn = nil
		c.mu.Unlock()
	}
	c.report(StateChange{State: StateLost, Err: conn.Err(), LastRead: conn.lastReadTime()})
}

// lastReadTime is when a read last returned bytes (zero: never).
func (c *Conn) lastReadTime() time.Time {
	if ns := c.lastRead.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}

// reconnect retries with backoff until it succeeds (the new connection)
// or the client is closed (nil).
func (c *Client) reconnect() *Conn {
	for attempt := 1; ; attempt++ {
		c.report(StateChange{State: StateReconnecting, Attempt: attempt})
		if !c.sleep(c.backoff(attempt)) {
			return nil
		}
		conn, err := c.connect(c.ctx)
		if err == nil {
			if c.install(conn, attempt) {
				return conn
			}
			return nil
		}
		c.opts.Logger.Warn("esl: reconnect failed", "node", c.opts.Node, "addr", c.addr, "attempt", attempt, "err", err)
	}
}

// backoff is a uniformly random wait in [BackoffMin, min(BackoffMax,
// BackoffMin<<attempt)] (exponential backoff with full jitter).
func (c *Client) backoff(attempt int) time.Duration {
	lo, ceil := c.opts.BackoffMin, c.opts.BackoffMax
	hi := ceil
	if attempt < 32 && lo<<attempt > 0 && lo<<attempt < ceil {
		hi = lo << attempt
	}
	return lo + rand.N(hi-lo+1)
}

// sleep waits d; false if the client was closed meanwhile.
func (c *Client) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.ctx.Done():
		return false
	}
}

// finish closes the live connection and the subscriptions and reports
// StateClosed.
func (c *Client) finish() {
	c.mu.Lock()
	conn := c.conn
	c.conn = nil
	c.mu.Unlock()
	if conn != nil {
		_ = conn.Close()
	}
	c.subs.closeAll()
	c.report(StateChange{State: StateClosed})
}
