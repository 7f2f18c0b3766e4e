package esl

import (
	"bytes"
	"errors"
	"io"
	"strings"
)

// errStop stops Parser.Feed after the connection was ended by a frame.
var errStop = errors.New("esl: connection ended by peer notice")

// readLoop is the connection's only reader: socket -> parser -> dispatch.
func (c *Conn) readLoop() {
	defer close(c.readerDone)
	p := NewParser(0)
	var in chunks
	for {
		n, err := c.nc.Read(in.space())
		if n > 0 {
			if ferr := p.Feed(in.commit(n), c.handleFrame); ferr != nil {
				c.shutdown(lostError(ferr.Error(), ferr))
				return
			}
		}
		if err != nil {
			c.shutdown(readError(err))
			return
		}
	}
}

// readError describes a failed read.
func readError(err error) error {
	if errors.Is(err, io.EOF) {
		return lostError("closed by peer")
	}
	return lostError(err.Error())
}

// handleFrame dispatches one frame on the reader goroutine.
func (c *Conn) handleFrame(f *Frame) error {
	switch f.ContentType() {
	case TypeCommandReply, TypeAPIResponse:
		c.deliverReply(f)
	case TypeEventPlain:
		c.handleEvent(FormatPlain, f)
	case TypeEventJSON:
		c.handleEvent(FormatJSON, f)
	case TypeEventXML:
		c.handleEvent(FormatXML, f)
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
func (c *Conn) handleEvent(format Format, f *Frame) {
	body := f.Body
	if !f.BodyInInput() {
		body = bytes.Clone(body) // assembled in the parser's scratch buffer
	}
	ev, err := ParseEvent(format, body)
	if err != nil {
		c.log.Warn("esl: dropping unparsable event", "node", c.opts.Node, "err", err)
		return
	}
	ev.Node = c.opts.Node
	if ev.Name() == "BACKGROUND_JOB" {
		c.completeJob(ev)
	}
	if c.opts.OnEvent != nil {
		c.opts.OnEvent(ev)
	}
	c.subs.publish(ev)
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
		if len(f.Body) > 0 && !strings.EqualFold(f.Header("Content-Disposition"), "linger") {
			c.shutdown(lostError("disconnect notice: " + firstLine(f.Body)))
			return errStop
		}
	}
	return nil
}

// firstLine returns the first line of b.
func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
