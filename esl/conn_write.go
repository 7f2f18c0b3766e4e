package esl

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// maxKeptWriteBuf is the largest command buffer kept for reuse.
const maxKeptWriteBuf = 64 << 10

// Writes are coalesced: a caller appends its command to the connection's
// write queue under Conn.mu, together with its slot in the reply FIFO, so
// the FIFO order is the wire order. If no write is in progress the caller
// becomes the writer and writes everything queued in one syscall; commands
// queued meanwhile are written by the first of their callers, to whom the
// writer hands the role (a flush token on its channel). Every batch is thus
// written by a caller whose own command is in it, under that caller's
// context. A command still queued can be withdrawn when its context ends.

// call is one caller's slot in the reply FIFO.
type call struct {
	// ch receives at most one flush token and exactly one result, so its
	// two slots never block the sender.
	ch        chan result
	abandoned atomic.Bool // the caller gave up; drop the reply
	mode      replyMode
	job       *Job   // bgapi: rekeyed by the reply, on the reader
	writer    bool   // holds the writer role (guarded by Conn.mu)
	wire      []byte // the command's bytes, reused with the call
}

// replyMode says what the reader hands a caller for its reply.
type replyMode uint8

const (
	replyFrame replyMode = iota // an owned clone of the frame
	replyBody                   // api: an api/response body as a string
	replyCheck                  // bgapi: nothing unless Reply-Text is -ERR
)

// result is what a call receives: an owned reply frame (or, per
// replyMode, only the api/response body or a success mark), an error, or
// a flush token.
type result struct {
	f      *Frame
	body   string
	isBody bool // f is nil: body (replyBody) or success (replyCheck)
	err    error
	flush  bool
}

// callPool recycles calls that completed normally.
var callPool = sync.Pool{New: func() any { return &call{ch: make(chan result, 2)} }}

// writeQueue holds the commands queued but not yet written (Conn.mu).
type writeQueue struct {
	buf     []byte // queued command bytes, FIFO
	ends    []qent // one per queued call: where its bytes end in buf
	writing bool   // someone holds the writer role
	spare   []byte // a free buffer to swap in for buf
	spareE  []qent // likewise for ends
	dlSet   bool   // a context left a write deadline set (writer only)
}

// qent is one queued command.
type qent struct {
	cl  *call
	end int
}

// roundTrip writes cmd and waits for its reply frame (an owned clone).
func (c *Conn) roundTrip(ctx context.Context, cmd Command) (*Frame, error) {
	r, err := c.exchange(ctx, cmd, replyFrame, nil)
	return r.f, err
}

// exchange queues cmd, writes it (or has it written) and waits for the
// reply, an error, or the end of ctx. A bgapi job, if given, is rekeyed
// on the reader when the reply arrives, even if the caller gave up.
func (c *Conn) exchange(ctx context.Context, cmd Command, mode replyMode, job *Job) (result, error) {
	if err := ctx.Err(); err != nil {
		return result{}, ctxError(cmd, err)
	}
	cl := callPool.Get().(*call)
	cl.mode, cl.job = mode, job
	cl.wire = cmd.AppendWire(cl.wire[:0])
	if err := c.queue(ctx, cmd, cl); err != nil {
		return result{}, err // cl may still get an error result: not recycled
	}
	for {
		select {
		case r := <-cl.ch:
			if r.flush {
				if err := c.flush(ctx, cmd, cl); err != nil {
					return result{}, err
				}
				continue
			}
			c.recycle(cl)
			return r, r.err
		case <-ctx.Done():
			return c.giveUp(ctx, cmd, cl)
		}
	}
}

// giveUp ends a wait whose context is done: a command still queued is
// withdrawn; one already written is abandoned (its reply is discarded),
// unless the reply raced the deadline.
func (c *Conn) giveUp(ctx context.Context, cmd Command, cl *call) (result, error) {
	if c.withdraw(cl) {
		c.recycle(cl)
		return result{}, ctxError(cmd, ctx.Err())
	}
	cl.abandoned.Store(true)
	select {
	case r := <-cl.ch: // the reply raced the deadline: take it
		return r, r.err
	default:
	}
	return result{}, ctxError(cmd, ctx.Err())
}

// recycle returns a call that nobody else can reach, with an empty
// channel, to the pool.
func (c *Conn) recycle(cl *call) {
	if cap(cl.wire) > maxKeptWriteBuf {
		cl.wire = nil
	}
	cl.job, cl.writer = nil, false
	callPool.Put(cl)
}

// queue appends cl's command and FIFO slot; with no write in progress it
// writes at once.
func (c *Conn) queue(ctx context.Context, cmd Command, cl *call) error {
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	q := &c.wq
	q.buf = append(q.buf, cl.wire...)
	q.ends = append(q.ends, qent{cl: cl, end: len(q.buf)})
	c.pending = append(c.pending, cl)
	if q.writing {
		c.mu.Unlock()
		return nil
	}
	q.writing, cl.writer = true, true
	c.mu.Unlock()
	return c.flush(ctx, cmd, cl)
}

// flush writes everything queued (own's command among it) in one write,
// then hands the writer role to the first command queued meanwhile.
func (c *Conn) flush(ctx context.Context, cmd Command, own *call) error {
	c.mu.Lock()
	own.writer = false
	q := &c.wq
	if c.err != nil {
		q.writing = false
		err := c.err
		c.mu.Unlock()
		return err
	}
	batch, ends := q.buf, q.ends
	q.buf, q.ends, q.spare, q.spareE = q.spare[:0], q.spareE[:0], nil, nil
	c.mu.Unlock()
	n, err := c.writeCtx(ctx, batch)
	if err != nil && (n > 0 || ctx.Err() == nil) {
		c.shutdown(lostError("write: " + err.Error()))
		return c.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil { // nothing went out: the socket is intact
		c.requeue(batch, ends, own)
		c.passWriter()
		return ctxError(cmd, ctx.Err())
	}
	if q.spare == nil && cap(batch) <= maxKeptWriteBuf {
		clear(ends)
		q.spare, q.spareE = batch[:0], ends[:0]
	}
	c.passWriter()
	return nil
}

// passWriter hands the writer role to the oldest queued call, or frees it
// (c.mu held).
func (c *Conn) passWriter() {
	q := &c.wq
	if len(q.ends) == 0 || c.err != nil {
		q.writing = false
		return
	}
	next := q.ends[0].cl
	next.writer = true
	next.ch <- result{flush: true}
}

// requeue puts an unwritten batch back in front of the queue, without
// own's command, which is withdrawn (c.mu held).
func (c *Conn) requeue(batch []byte, ends []qent, own *call) {
	q := &c.wq
	buf := make([]byte, 0, len(batch)+len(q.buf))
	var es []qent
	start := 0
	for _, e := range ends {
		if e.cl != own {
			buf = append(buf, batch[start:e.end]...)
			es = append(es, qent{cl: e.cl, end: len(buf)})
		}
		start = e.end
	}
	base := len(buf)
	buf = append(buf, q.buf...)
	for _, e := range q.ends {
		es = append(es, qent{cl: e.cl, end: base + e.end})
	}
	q.buf, q.ends = buf, es
	c.unpend(own)
}

// withdraw removes cl if its command is still queued, passing on the
// writer role if cl held it. It reports whether cl was queued.
func (c *Conn) withdraw(cl *call) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := &c.wq
	i := len(q.ends) - 1
	for i >= 0 && q.ends[i].cl != cl {
		i--
	}
	if i < 0 {
		return false
	}
	start := 0
	if i > 0 {
		start = q.ends[i-1].end
	}
	size := q.ends[i].end - start
	q.buf = append(q.buf[:start], q.buf[start+size:]...)
	for j := i + 1; j < len(q.ends); j++ {
		q.ends[j].end -= size
	}
	q.ends = append(q.ends[:i], q.ends[i+1:]...)
	c.unpend(cl)
	if cl.writer {
		cl.writer = false
		<-cl.ch // the flush token, sent under c.mu
		c.passWriter()
	}
	return true
}

// unpend removes a call that was never written from the FIFO (c.mu held):
// unwritten calls are at its tail.
func (c *Conn) unpend(cl *call) {
	for i := len(c.pending) - 1; i >= 0; i-- {
		if c.pending[i] == cl {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			return
		}
	}
}

// writeCtx writes b; a done ctx interrupts the write through the deadline.
// Only the writer-role holder calls it.
func (c *Conn) writeCtx(ctx context.Context, b []byte) (int, error) {
	if c.wq.dlSet {
		_ = c.nc.SetWriteDeadline(time.Time{})
		c.wq.dlSet = false
	}
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
		c.wq.dlSet = true
	}
	return n, err
}

// ctxError reports a caller's context ending during cmd.
func ctxError(cmd Command, err error) error {
	return fmt.Errorf("esl: %s: %w", cmd, err)
}
