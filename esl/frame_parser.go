package esl

import (
	"bytes"
	"fmt"
)

// Parser states.
const (
	stHead uint8 = iota // scanning a header block for its blank line
	stBody              // copying a Content-Length body
)

// Header-scan carry: what the bytes already scanned ended with.
const (
	nlNone uint8 = iota // mid-line
	nlLF                // just after '\n'
	nlLFCR              // just after "\n\r"
)

// shrinkAbove is the scratch capacity above which the buffer is released
// after the frame that needed it, so one huge frame does not pin memory.
const shrinkAbove = 1 << 20

// Parser is the incremental ESL framer. Feed it bytes as they arrive; it
// calls back once per complete frame. It is not safe for concurrent use.
//
// It is a byte state machine: header bytes are scanned once (the scan
// position and the line-end state are remembered when a frame is split),
// bodies are skipped by Content-Length, and a frame that lies whole inside
// the bytes given to Feed is handed out without copying. Only a frame split
// across calls is copied into a reused scratch buffer.
type Parser struct {
	max   int
	buf   []byte // scratch: the partial frame (header block, then body bytes)
	state uint8
	nl    uint8  // header-scan carry, see nlNone
	hlen  int    // in stBody: length of the header block in buf
	need  int    // in stBody: body bytes still missing
	ctype string // Content-Type of the frame being read, found with its length
	frame Frame  // reused for every callback
	err   error  // sticky: once failed, the stream cannot be resynchronised

	// A Conn's reader feeds windows of its chunks (see feedWindow).
	inWin  []byte  // the window being fed, nil in a plain Feed
	winPos int     // offset in inWin of the bytes being parsed
	headAt int     // offset in inWin of the header block being handled
	wait   pending // a frame waiting in place for the rest of its body
}

// NewParser returns a parser that rejects frames larger than max bytes
// (MaxFrameSize when max <= 0).
func NewParser(max int) *Parser {
	if max <= 0 {
		max = MaxFrameSize
	}
	return &Parser{max: max}
}

// Feed consumes b, calling fn for each complete frame in order. A partial
// frame is kept until more bytes arrive. Errors from fn stop parsing and are
// returned; framing errors wrap ErrMalformed or ErrFrameTooLarge. After any
// error the parser is dead: later calls return the same error, because the
// rest of the stream can no longer be framed.
func (p *Parser) Feed(b []byte, fn func(*Frame) error) error {
	if p.err != nil {
		return p.err
	}
	if p.inWin == nil {
		p.detach() // a frame waiting in a window continues from a copy
	}
	for len(b) > 0 {
		var n int
		var err error
		switch {
		case p.state == stBody:
			n, err = p.feedBody(b, fn)
		case len(p.buf) == 0:
			n, err = p.feedDirect(b, fn)
		default:
			n, err = p.feedHead(b, fn)
		}
		if err != nil {
			p.err = err
			return err
		}
		b = b[n:]
		p.winPos += n
	}
	return nil
}

// dropScratch frees the scratch buffer of a parser holding no partial
// frame (an idle connection keeps no read memory).
func (p *Parser) dropScratch() {
	if len(p.buf) == 0 {
		p.buf = nil
	}
}

// Buffered returns how many bytes of a partial frame are held.
func (p *Parser) Buffered() int {
	if p.wait.win != nil {
		return len(p.wait.win) - p.wait.at
	}
	return len(p.buf)
}

// feedDirect parses a frame starting at b[0] with nothing buffered. A
// complete frame is handed out aliasing b.
func (p *Parser) feedDirect(b []byte, fn func(*Frame) error) (int, error) {
	skip := leadingBlank(b)
	if skip == len(b) {
		return skip, nil
	}
	nl := nlNone
	end := scanHead(b[skip:], &nl)
	if end < 0 {
		if len(b)-skip > p.max {
			return 0, p.tooLarge("header block", len(b)-skip)
		}
		p.buf = append(p.buf[:0], b[skip:]...)
		p.nl = nl
		return len(b), nil
	}
	if end > p.max {
		return 0, p.tooLarge("header block", end)
	}
	p.headAt = p.winPos + skip
	n, err := p.haveHead(b[skip:skip+end], b[skip+end:], fn, false)
	return skip + end + n, err
}

// feedHead continues a header block already held in p.buf.
func (p *Parser) feedHead(b []byte, fn func(*Frame) error) (int, error) {
	end := scanHead(b, &p.nl)
	if end < 0 {
		if len(p.buf)+len(b) > p.max {
			return 0, p.tooLarge("header block", len(p.buf)+len(b))
		}
		p.buf = append(p.buf, b...)
		return len(b), nil
	}
	if len(p.buf)+end > p.max {
		return 0, p.tooLarge("header block", len(p.buf)+end)
	}
	p.buf = append(p.buf, b[:end]...)
	n, err := p.haveHead(p.buf, b[end:], fn, true)
	return end + n, err
}

// haveHead handles a complete header block head (terminator included).
// rest holds the bytes after it. It returns how many bytes of rest it used.
func (p *Parser) haveHead(head, rest []byte, fn func(*Frame) error, inBuf bool) (int, error) {
	clen, err := p.headFields(head)
	if err != nil {
		return 0, err
	}
	if clen < 0 {
		return 0, p.emit(trimBlank(head), nil, false, false, fn)
	}
	if clen <= len(rest) {
		return clen, p.emit(trimBlank(head), rest[:clen:clen], true, true, fn)
	}
	if inBuf || !p.waitInPlace(p.headAt, len(head), clen) {
		p.startBody(head, rest, clen, inBuf)
	}
	return len(rest), nil
}

// startBody buffers the header block and the body bytes seen so far, with
// one allocation sized for the whole frame.
func (p *Parser) startBody(head, rest []byte, clen int, inBuf bool) {
	if total := len(head) + clen; cap(p.buf) < total {
		// head may alias p.buf: copy it into the new buffer.
		p.buf = append(make([]byte, 0, total), head...)
	} else if !inBuf {
		p.buf = append(p.buf[:0], head...)
	}
	p.hlen = len(p.buf)
	p.buf = append(p.buf, rest...)
	p.need = clen - len(rest)
	p.state = stBody
}

// feedBody copies body bytes until the frame is complete.
func (p *Parser) feedBody(b []byte, fn func(*Frame) error) (int, error) {
	n := min(p.need, len(b))
	p.buf = append(p.buf, b[:n]...)
	p.need -= n
	if p.need > 0 {
		return n, nil
	}
	body := p.buf[p.hlen:]
	return n, p.emit(trimBlank(p.buf[:p.hlen]), body[:len(body):len(body)], true, false, fn)
}

// emit hands a frame to fn and resets the parser for the next frame.
// inInput says body aliases the fed bytes rather than p.buf.
func (p *Parser) emit(head, body []byte, hasBody, inInput bool, fn func(*Frame) error) error {
	p.frame.head = head[:len(head):len(head)]
	p.frame.ctype, p.frame.ctypeSet = p.ctype, true
	p.frame.Body = nil
	if hasBody {
		p.frame.Body = body
		p.frame.bodyInInput = inInput
	}
	err := fn(&p.frame)
	p.frame = Frame{}
	p.state, p.nl, p.hlen, p.need, p.ctype = stHead, nlNone, 0, 0, ""
	if cap(p.buf) > shrinkAbove {
		p.buf = nil
	} else {
		p.buf = p.buf[:0]
	}
	return err
}

// headFields reads, in one pass over a header block, its Content-Type
// (kept for the frame) and its Content-Length: -1 when there is none, an
// error when it is not a non-negative decimal within the limit.
func (p *Parser) headFields(head []byte) (int, error) {
	if clen, ct, ok := eventHead(head); ok {
		p.ctype = ct
		return p.parseLength(clen)
	}
	var clen []byte
	haveLen, haveType := false, false
	forEachLine(head, func(n, v []byte) bool {
		switch {
		case !haveLen && equalFoldBytes(n, "Content-Length"):
			clen, haveLen = v, true
		case !haveType && equalFoldBytes(n, "Content-Type"):
			p.ctype, haveType = internValue(v), true
		}
		return !haveLen || !haveType
	})
	if !haveLen {
		return -1, nil
	}
	return p.parseLength(clen)
}

// eventHead matches the header block FreeSWITCH writes before each event
// (and most bodies): exactly "Content-Length: N\nContent-Type: T\n\n" with
// a known content type. Anything else takes the general scan.
func eventHead(head []byte) (clen []byte, ctype string, ok bool) {
	const lenKey, typeKey = "Content-Length: ", "\nContent-Type: "
	if !bytes.HasPrefix(head, []byte(lenKey)) {
		return nil, "", false
	}
	rest := head[len(lenKey):]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 || !bytes.HasPrefix(rest[i:], []byte(typeKey)) {
		return nil, "", false
	}
	t := rest[i+len(typeKey):]
	j := len(t) - 2 // t is "TYPE\n\n"
	if j <= 0 || t[j] != '\n' || t[j+1] != '\n' {
		return nil, "", false
	}
	ctype = knownType(t[:j])
	return rest[:i], ctype, ctype != ""
}

// parseLength parses a Content-Length value.
func (p *Parser) parseLength(v []byte) (int, error) {
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("%w: empty Content-Length", ErrMalformed)
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: bad Content-Length %q", ErrMalformed, clip(v))
		}
		n = n*10 + int(c-'0')
		if n > p.max {
			return 0, p.tooLarge("body", -1)
		}
	}
	return n, nil
}

func (p *Parser) tooLarge(what string, n int) error {
	if n < 0 {
		return fmt.Errorf("%w: %s over %d bytes", ErrFrameTooLarge, what, p.max)
	}
	return fmt.Errorf("%w: %s of %d bytes exceeds %d", ErrFrameTooLarge, what, n, p.max)
}

// clip keeps error texts short.
func clip(v []byte) []byte {
	if len(v) > 32 {
		return v[:32]
	}
	return v
}

// leadingBlank counts CR/LF bytes before a frame (stray blank lines).
func leadingBlank(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanHead looks for the blank line ending a header block ("\n\n" or
// "\n\r\n"), carrying the line-end state across calls in *nl. It returns
// the index just past the terminator, or -1 when b holds no terminator.
func scanHead(b []byte, nl *uint8) int {
	i := 0
	for i < len(b) {
		switch *nl {
		case nlLF, nlLFCR:
			c := b[i]
			if c == '\n' {
				*nl = nlNone
				return i + 1
			}
			if c == '\r' && *nl == nlLF {
				*nl = nlLFCR
				i++
				continue
			}
			*nl = nlNone
		}
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		*nl = nlLF
	}
	return -1
}

// trimBlank drops the terminating blank line ("\n" or "\r\n") from a header
// block, keeping the '\n' of the last header line.
func trimBlank(head []byte) []byte {
	n := len(head)
	if n > 0 && head[n-1] == '\n' {
		n--
		if n > 0 && head[n-1] == '\r' {
			n--
		}
	}
	return head[:n]
}
