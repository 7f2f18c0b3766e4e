package bench

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"
)

// rawConn is the "bare socket" baseline: a net.Conn with hand-written
// framing, no goroutines, no matching. It reads only what it needs: the
// Content-Type, Reply-Text and Content-Length of each frame.
type rawConn struct {
	nc   net.Conn
	br   *bufio.Reader
	body []byte
}

// rawFrame is the part of a frame rawConn keeps; body aliases rawConn's
// buffer until the next read.
type rawFrame struct {
	ctype, reply []byte
	body         []byte
}

var errRaw = errors.New("bench: unexpected frame")

// dialRaw connects and authenticates by hand.
func dialRaw(addr string) (*rawConn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	rc := &rawConn{nc: nc, br: bufio.NewReaderSize(nc, 64<<10)}
	if f, err := rc.read(); err != nil || string(f.ctype) != "auth/request" {
		nc.Close()
		return nil, errors.Join(errRaw, err)
	}
	if _, err := nc.Write([]byte("auth ClueCon\n\n")); err != nil {
		nc.Close()
		return nil, err
	}
	if f, err := rc.read(); err != nil || !bytes.HasPrefix(f.reply, []byte("+OK")) {
		nc.Close()
		return nil, errors.Join(errRaw, err)
	}
	return rc, nil
}

// read reads one frame.
func (rc *rawConn) read() (rawFrame, error) {
	var f rawFrame
	n := -1
	for {
		line, err := rc.br.ReadSlice('\n')
		if err != nil {
			return f, err
		}
		line = line[:len(line)-1]
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(": "))
		switch string(name) {
		case "Content-Type":
			f.ctype = slices.Clone(value) // ReadSlice reuses its buffer
		case "Reply-Text":
			f.reply = slices.Clone(value)
		case "Content-Length":
			if n, err = strconv.Atoi(string(value)); err != nil {
				return f, err
			}
		}
	}
	if n >= 0 {
		if cap(rc.body) < n {
			rc.body = make([]byte, n)
		}
		f.body = rc.body[:n]
		_, err := io.ReadFull(rc.br, f.body)
		return f, err
	}
	return f, nil
}

// latencies collects per-op durations and reports p50/p99.
type latencies []time.Duration

// report adds p50-ns and p99-ns metrics.
func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	b.ReportMetric(float64(s[len(s)*50/100].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(s[min(len(s)-1, len(s)*99/100)].Nanoseconds()), "p99-ns")
}
