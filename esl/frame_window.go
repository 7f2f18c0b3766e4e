package esl

// Frames that straddle reads. A Conn reads the socket into chunks whose
// bytes are never written again (see chunks), and each read lands right
// after the previous one in the same chunk. So when a frame's header block
// is complete but its body is not, the parser need not copy the part it
// has: it notes where the frame starts in the chunk and, once later reads
// complete it in the same chunk, hands the frame out in place, so the
// event aliases the chunk (and can be lent) instead of being copied twice
// (into the scratch buffer, then out of it). Only when the reader moves to
// a new chunk is the pending part copied (detach). Header blocks that
// straddle reads are short and are still copied as they arrive.

// pending is a frame waiting in place in the reader's window.
type pending struct {
	win   []byte // the window it lies in (the chunk's bytes so far)
	at    int    // where the frame's header block starts in win
	hlen  int    // header block length, terminator included
	total int    // header block plus body
}

// feedWindow parses the bytes win[from:] read into the window win, whose
// earlier bytes were given before and are unchanged. See Feed for errors.
func (p *Parser) feedWindow(win []byte, from int, fn func(*Frame) error) error {
	if p.err != nil {
		return p.err
	}
	if p.wait.win != nil {
		if !sameBase(win, p.wait.win) {
			p.detach() // the reader should have; copy while the bytes are intact
		} else {
			next, done, err := p.resume(win, fn)
			if err != nil || !done {
				return err
			}
			from = next
		}
	}
	p.inWin, p.winPos = win, from
	defer func() { p.inWin = nil }()
	return p.Feed(win[from:], fn)
}

// sameBase reports whether two non-empty windows start at the same byte.
func sameBase(a, b []byte) bool {
	return len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
}

// resume hands out the frame waiting in place once win holds all of it,
// and returns where the bytes after it start.
func (p *Parser) resume(win []byte, fn func(*Frame) error) (next int, done bool, err error) {
	w := p.wait
	end := w.at + w.total
	if len(win) < end {
		p.wait.win = win // now holds more of the frame
		return 0, false, nil
	}
	p.wait = pending{}
	frame := win[w.at:end:end]
	if err = p.emit(trimBlank(frame[:w.hlen]), frame[w.hlen:], true, true, fn); err != nil {
		p.err = err
	}
	return end, true, err
}

// waitInPlace records a frame whose body is incomplete instead of copying
// it, when the bytes being fed lie in the reader's window. head starts at
// offset at of the window.
func (p *Parser) waitInPlace(at, hlen, clen int) bool {
	if p.inWin == nil {
		return false
	}
	p.wait = pending{win: p.inWin, at: at, hlen: hlen, total: hlen + clen}
	p.hlen, p.state = hlen, stBody
	return true
}

// waiting returns the bytes so far of a frame waiting in place, and the
// frame's whole length (nil, 0 when none waits).
func (p *Parser) waiting() ([]byte, int) {
	if p.wait.win == nil {
		return nil, 0
	}
	return p.wait.win[p.wait.at:], p.wait.total
}

// moved tells the parser that the frame waiting in place was copied to
// the start of a new window, win.
func (p *Parser) moved(win []byte) { p.wait.win, p.wait.at = win, 0 }

// detach copies a frame waiting in place into the scratch buffer: the
// reader is about to leave its chunk.
func (p *Parser) detach() {
	w := p.wait
	if w.win == nil {
		return
	}
	have := w.win[w.at:]
	p.buf = append(make([]byte, 0, w.total), have...)
	p.need = w.total - len(have)
	p.wait = pending{}
}
