package esl

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// maxKeptWriteBuf is the largest command buffer kept for reuse.
const maxKeptWriteBuf = 64 << 10

// call is one caller's slot in the reply FIFO.
type call struct {
	ch        chan result // buffered (1): the reader never blocks on it
	abandoned atomic.Bool // the caller gave up; drop the reply
	onReply   func(*Frame)
}

// result is what a call receives: an owned reply frame or an error.
type result struct {
	f   *Frame
	err error
}

// roundTrip writes cmd and waits for its reply frame (an owned clone).
// onReply, if set, runs on the reader goroutine when the reply arrives,
// even if the caller has given up.
func (c *Conn) roundTrip(ctx context.Context, cmd Command, onReply func(*Frame)) (*Frame, error) {
	cl := &call{ch: make(chan result, 1), onReply: onReply}
	if err := c.write(ctx, cmd, cl); err != nil {
		return nil, err
	}
	select {
	case r := <-cl.ch:
		return r.f, r.err
	case <-ctx.Done():
		cl.abandoned.Store(true)
		select {
		case r := <-cl.ch: // the reply raced the deadline: take it
			return r.f, r.err
		default:
		}
		return nil, ctxError(cmd, ctx.Err())
	}
}

// write queues cl and sends cmd in one write, under the write lock, so
// that the FIFO order is the wire order.
func (c *Conn) write(ctx context.Context, cmd Command, cl *call) error {
	if err := ctx.Err(); err != nil {
		return ctxError(cmd, err)
	}
	select {
	case c.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctxError(cmd, ctx.Err())
	case <-c.done:
		return c.Err()
	}
	defer c.releaseWrite()
	c.wbuf = cmd.AppendWire(c.wbuf[:0])
	if err := c.enqueue(cl); err != nil {
		return err
	}
	n, err := c.writeCtx(ctx, c.wbuf)
	if err == nil {
		return nil
	}
	if n == 0 && ctx.Err() != nil { // nothing went out: the socket is intact
		c.unqueue(cl)
		return ctxError(cmd, ctx.Err())
	}
	c.shutdown(lostError("write: " + err.Error()))
	return c.Err()
}

// releaseWrite drops an oversized buffer and frees the write lock.
func (c *Conn) releaseWrite() {
	if cap(c.wbuf) > maxKeptWriteBuf {
		c.wbuf = nil
	}
	<-c.wsem
}

// writeCtx writes b; a done ctx interrupts the write through the deadline.
func (c *Conn) writeCtx(ctx context.Context, b []byte) (int, error) {
	_ = c.nc.SetWriteDeadline(time.Time{})
	if ctx.Done() == nil {
		return c.nc.Write(b)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = c.nc.SetWriteDeadline(time.Unix(1, 0))
		close(fired)
	})
	n, err := c.nc.Write(b)
	if !stop() {
		<-fired // the deadline was set; the next write resets it
	}
	return n, err
}

// enqueue appends cl to the FIFO unless the connection has ended.
func (c *Conn) enqueue(cl *call) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.pending = append(c.pending, cl)
	return nil
}

// unqueue removes cl, the newest slot, after a write that sent nothing.
func (c *Conn) unqueue(cl *call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := len(c.pending) - 1; i >= 0 && c.pending[i] == cl {
		c.pending = slices.Delete(c.pending, i, i+1)
	}
}

// ctxError reports a caller's context ending during cmd.
func ctxError(cmd Command, err error) error {
	return fmt.Errorf("esl: %s: %w", cmd, err)
}

// observe tracks wire subscription state from successful commands.
func (c *Conn) observe(cmd Command) {
	switch v := cmd.(type) {
	case EventCmd:
		c.format.Store(uint32(v.Format))
		if namesJob(v.Names) {
			c.jobEvents.Store(true)
		}
	case MyEvents:
		c.format.Store(uint32(v.Format))
	case NixEvent:
		if namesJob(v.Names) {
			c.jobEvents.Store(false)
		}
	case NoEvents:
		c.jobEvents.Store(false)
	}
}

// namesJob reports whether names cover BACKGROUND_JOB (or ALL).
func namesJob(names []string) bool {
	plain, _, _ := splitEventNames(names)
	for _, n := range plain {
		if n == "BACKGROUND_JOB" || n == "ALL" {
			return true
		}
	}
	return false
}
