package esl

import "context"

// pipeline writes cmds back to back in one write, with no other caller's
// command between them, and returns their replies in order. FreeSWITCH
// reads them one after the other without waiting for us: the outbound
// handshake sends "connect" and "myevents" this way so that the call's
// events are subscribed before its channel parks (see outbound_park.go).
// A -ERR reply fails it with a *CommandError. On any error the caller is
// expected to close the connection.
func (c *Conn) pipeline(ctx context.Context, cmds ...Command) ([]*Reply, error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(cmds[0], err)
	}
	cls := make([]*call, len(cmds))
	for i, cmd := range cmds {
		cl := &call{ch: make(chan result, 2), mode: replyFrame}
		cl.wire = cmd.AppendWire(nil)
		cls[i] = cl
	}
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, err
	}
	q := &c.wq
	for _, cl := range cls {
		q.buf = append(q.buf, cl.wire...)
		q.ends = append(q.ends, qent{cl: cl, end: len(q.buf)})
		c.pending = append(c.pending, cl)
	}
	write := !q.writing
	if write {
		q.writing, cls[0].writer = true, true
	}
	c.mu.Unlock()
	if write {
		if err := c.flush(ctx, cmds[0], cls[0]); err != nil {
			return nil, err
		}
	}
	replies := make([]*Reply, len(cmds))
	for i, cl := range cls {
		r, err := c.awaitPiped(ctx, cmds[i], cl)
		if err != nil {
			for _, rest := range cls[i:] {
				rest.abandoned.Store(true)
			}
			return nil, err
		}
		replies[i] = newReply(r.f)
		if err := replies[i].Err(); err != nil {
			return replies, err
		}
	}
	return replies, nil
}

// awaitPiped waits for one pipelined command's reply, writing the queue
// when the writer role is handed to it.
func (c *Conn) awaitPiped(ctx context.Context, cmd Command, cl *call) (result, error) {
	for {
		select {
		case r := <-cl.ch:
			if r.flush {
				if err := c.flush(ctx, cmd, cl); err != nil {
					return result{}, err
				}
				continue
			}
			return r, r.err
		case <-ctx.Done():
			return result{}, ctxError(cmd, ctx.Err())
		}
	}
}
