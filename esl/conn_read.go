package esl

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"time"
)

// errStop stops Parser.Feed after the connection was ended by a frame.
var errStop = errors.New("esl: connection ended by peer notice")

// readLoop is the connection's only reader: socket -> parser -> dispatch.
func (c *Conn) readLoop() {
	defer c.readerStopped()
	r := newReader(c)
	for {
		if err := r.once(); err != nil {
			c.shutdown(err)
			return
		}
	}
}

// quietChunk is the largest next-chunk size at which a connection counts
// as quiet: between bursts it then waits holding no buffer (see reader).
const quietChunk = 16 << 10

// reader is readLoop's state. A quiet connection (small reads, no partial
// frame pending) reads through its descriptor: when the socket has
// nothing to read, the reader drops its chunk and its parser before it
// waits, so an idle connection, such as a parked outbound call, holds no
// read buffer. A quiet connection's events get their own copy of the
// body, so that an event the application keeps (a call's last events)
// does not pin a mostly empty chunk. A chunk that no event aliases (a
// small one of a quiet connection) is recycled; others never are.
type reader struct {
	c      *Conn
	p      *Parser // nil after an idle wait dropped it
	in     chunks
	copy   bool        // copy event bodies out of the chunk (quiet)
	idle   *idleWaiter // nil when the socket has no descriptor
	onIdle func()      // run before an idle read waits: release
	frame  func(*Frame) error
	src    eventSource
}

// eventSource is the read chunk an event may alias, and the events a
// busy connection allocates a slab at a time.
type eventSource struct {
	l    *lease  // nil: a chunk that is never reused, aliasing costs nothing
	slab []Event // zero events not yet handed out
}

// eventSlab is how many events a busy connection allocates at once (6 KB):
// one allocation instead of 32. An event keeps its slab alive, as it keeps
// its read chunk (256 KiB); quiet connections allocate events one by one.
const eventSlab = 32

// parseEvent parses an event body, on a busy connection (src set) into the
// next event of the slab.
func (src *eventSource) parseEvent(format Format, body []byte) (*Event, error) {
	if src == nil {
		return ParseEvent(format, body)
	}
	if len(src.slab) == 0 {
		src.slab = make([]Event, eventSlab)
	}
	e := &src.slab[0]
	src.slab = src.slab[1:]
	if err := e.init(format, body); err != nil {
		return nil, err
	}
	return e, nil
}

func newReader(c *Conn) *reader {
	r := &reader{c: c}
	r.in.cache = &c.chunks
	r.onIdle = r.release
	r.idle = newIdleWaiter(c.nc, r.in.space, func() { r.onIdle() })
	r.frame = func(f *Frame) error { return c.dispatchFrame(f, r.source()) }
	return r
}

// once reads and parses one batch of bytes; it returns the error that
// ends the connection.
func (r *reader) once() error {
	var n int
	var err error
	if r.quiet() {
		n, err = r.idle.read()
	} else {
		n, err = r.c.nc.Read(r.nextSpace())
	}
	if n > 0 {
		r.c.reads.Add(1)
		r.c.lastRead.Store(time.Now().UnixNano())
		if r.p == nil {
			r.p = NewParser(0)
		}
		r.copy = r.in.size <= quietChunk
		r.in.pinned = r.in.pinned || !r.copy
		win, from := r.in.commitWindow(n)
		if ferr := r.p.feedWindow(win, from, r.frame); ferr != nil {
			return lostError(ferr.Error(), ferr)
		}
	}
	if err != nil {
		return readError(err)
	}
	return nil
}

// nextSpace returns where the next read goes. When the chunk is full while
// a frame waits in it for the rest of its body, the frame's start moves to
// the new chunk so that it still completes in place (see feedWindow); a
// frame too large for any chunk is copied to the parser's scratch buffer.
func (r *reader) nextSpace() []byte {
	if r.p == nil || !r.in.full() {
		return r.in.space()
	}
	carry, total := r.p.waiting()
	if total > maxChunk {
		r.p.detach()
		carry, total = nil, 0
	}
	sp := r.in.spaceAfter(carry, total)
	if carry != nil {
		r.p.moved(r.in.buf[:len(carry)])
	}
	return sp
}

// source says where the frames being parsed lie: nil for a quiet
// connection (events copy their bodies), else the current chunk's lease
// (a chunk without one gives a source with no lease: events alias it).
func (r *reader) source() *eventSource {
	if r.copy {
		return nil
	}
	r.src.l = r.in.lease
	return &r.src
}

// quiet reports whether the next read goes through the idle waiter.
func (r *reader) quiet() bool {
	return r.idle != nil && r.in.size <= quietChunk && (r.p == nil || r.p.Buffered() == 0)
}

// release drops the chunk and the parser's scratch space (it holds no
// partial frame) before an idle read waits.
func (r *reader) release() {
	r.in.drop()
	if r.p != nil {
		r.p.dropScratch()
	}
}

// readerStopped closes readerDone and, for an outbound session's socket,
// runs its end hook once Done is closed (a Close on another goroutine may
// still be finishing shutdown).
func (c *Conn) readerStopped() {
	close(c.readerDone)
	if h, ok := c.nc.(interface{ readerStopped() }); ok {
		<-c.done
		h.readerStopped()
	}
}

// readError describes a failed read.
func readError(err error) error {
	if errors.Is(err, io.EOF) {
		return lostError("closed by peer")
	}
	return lostError(err.Error())
}

// dispatchFrame dispatches one frame on the reader goroutine; with no
// source an event's body is copied even when it lies whole in the read
// chunk.
func (c *Conn) dispatchFrame(f *Frame, src *eventSource) error {
	switch f.ContentType() {
	case TypeCommandReply, TypeAPIResponse:
		c.deliverReply(f)
	case TypeEventPlain:
		c.handleEvent(FormatPlain, f, src)
	case TypeEventJSON:
		c.handleEvent(FormatJSON, f, src)
	case TypeEventXML:
		c.handleEvent(FormatXML, f, src)
	case TypeAuthRequest:
		c.greetOnce.Do(func() { close(c.greeted) })
	default:
		return c.handleOther(f)
	}
	return nil
}

// deliverReply hands a reply to the oldest pending call.
func (c *Conn) deliverReply(f *Frame) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		c.log.Warn("esl: reply with no pending command", "node", c.opts.Node)
		return
	}
	cl := c.pending[0]
	c.pending[0] = nil
	c.pending = c.pending[1:]
	c.mu.Unlock()
	if cl.job != nil {
		c.rekeyJob(cl.job, f)
	}
	if cl.abandoned.Load() {
		c.lateReplies.Add(1)
		return
	}
	cl.ch <- replyResult(cl.mode, f)
}

// replyResult is what a caller in the given mode receives for f: only
// what it needs, so that a plain success costs no copy of the frame.
func replyResult(mode replyMode, f *Frame) result {
	switch {
	case mode == replyBody && f.ContentType() == TypeAPIResponse:
		return result{body: string(f.Body), isBody: true}
	case mode == replyCheck && f.ContentType() == TypeCommandReply:
		if v, _ := f.headerBytes("Reply-Text"); !bytes.HasPrefix(v, []byte("-ERR")) {
			return result{isBody: true}
		}
	}
	return result{f: f.Clone()}
}

// handleEvent parses an event and passes it to jobs, OnEvent, subscribers.
// The body is copied when it was assembled in the parser's scratch buffer,
// or when there is no source chunk (a quiet connection). An event left in
// a leased chunk is lent when every consumer borrows, and pins the chunk
// otherwise.
func (c *Conn) handleEvent(format Format, f *Frame, src *eventSource) {
	body := f.Body
	var l *lease
	if src == nil || !f.BodyInInput() {
		body = bytes.Clone(body)
	} else {
		l = src.l
	}
	ev, err := src.parseEvent(format, body)
	if err != nil {
		c.log.Warn("esl: dropping unparsable event", "node", c.opts.Node, "err", err)
		return
	}
	ev.Node = c.opts.Node
	owned := ev.Name() == "BACKGROUND_JOB" && c.completeJob(ev) // a job keeps it
	if !owned && l != nil && c.lendable() {
		ev.lend(l)
		defer ev.Release()
	}
	if l != nil && ev.lease == nil {
		l.pinned.Store(true)
	}
	if c.opts.OnEvent != nil {
		c.opts.OnEvent(ev)
	}
	c.subs.publish(ev)
}

// lendable reports whether every consumer of the connection's events
// borrows them (see lease).
func (c *Conn) lendable() bool {
	if c.opts.OnEvent != nil && c.opts.lendTo == nil {
		return false
	}
	return c.subs.borrowing() && (c.opts.lendTo == nil || c.opts.lendTo.borrowing())
}

// handleOther passes log/data and notices to OnFrame and ends the
// connection on a rejection or a final disconnect notice.
func (c *Conn) handleOther(f *Frame) error {
	if c.opts.OnFrame != nil {
		c.opts.OnFrame(f)
	}
	switch f.ContentType() {
	case TypeRudeRejection:
		c.shutdown(&connError{
			msg:  "esl: connection rejected by access list: " + firstLine(f.Body),
			errs: []error{ErrRejected, ErrConnLost},
		})
		return errStop
	case TypeDisconnectNotice:
		if finalNotice(f) {
			c.shutdown(lostError("disconnect notice: " + firstLine(f.Body)))
			return errStop
		}
	}
	return nil
}

// finalNotice reports whether a disconnect notice ends the socket (it has
// a body and is not a linger notice).
func finalNotice(f *Frame) bool {
	return len(f.Body) > 0 && !strings.EqualFold(f.Header("Content-Disposition"), "linger")
}

// firstLine returns the first line of b.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
