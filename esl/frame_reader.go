package esl

import (
	"errors"
	"fmt"
	"io"
)

// readFramesBuf is ReadFrames' read buffer: a frame up to this size that
// straddles reads is completed in place; a larger one is assembled in the
// parser's scratch buffer.
const readFramesBuf = 256 << 10

// ReadFrames reads an ESL stream from r until it ends, calling fn for each
// frame in order. The frame is valid only during the call (Clone it, or
// ParseEvent a copy of its body, to keep anything): ReadFrames reads into
// one reused buffer. A frame split across reads is completed in that
// buffer without being copied, unless it is larger than the buffer. It
// returns nil at a clean end of stream, io.ErrUnexpectedEOF when the stream
// ends inside a frame, fn's error, or the parser's (see Parser.Feed).
//
// It is the loop for tools and consumers that read a stream without a
// Conn: replaying a capture, or parsing events that are not kept (with
// Event.Parse, nothing is allocated per frame).
func ReadFrames(r io.Reader, fn func(*Frame) error) error {
	buf := make([]byte, readFramesBuf)
	p := NewParser(0)
	end := 0
	for {
		if len(buf)-end < len(buf)/4 {
			end = p.rewind(buf)
		}
		n, err := r.Read(buf[end:])
		if n > 0 {
			if ferr := p.feedWindow(buf[:end+n], end, fn); ferr != nil {
				return ferr
			}
			end += n
		}
		if err != nil {
			return endOfFrames(err, p.Buffered())
		}
	}
}

// rewind makes room in buf, whose frames were all handed out but one that
// may wait in place: that frame's first part moves to the start of buf
// (or, too large for buf, to the parser's scratch buffer). It returns
// where the next read goes.
func (p *Parser) rewind(buf []byte) int {
	carry, total := p.waiting()
	if total > len(buf) {
		p.detach()
		return 0
	}
	n := copy(buf, carry)
	if carry != nil {
		p.moved(buf[:n])
	}
	return n
}

// endOfFrames is ReadFrames' result for the read error err with held
// bytes of a partial frame.
func endOfFrames(err error, held int) error {
	switch {
	case !errors.Is(err, io.EOF):
		return err
	case held > 0:
		return fmt.Errorf("esl: stream ended inside a frame (%d bytes held): %w", held, io.ErrUnexpectedEOF)
	}
	return nil
}
