//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package esl

import (
	"io"
	"net"
	"os"
	"syscall"
)

// idleWaiter reads a socket through its descriptor so that it can tell,
// before the runtime's poller parks the reader, that the socket has
// nothing to read: onBlock then drops the read space, and a fresh space is
// taken once data arrives. The syscalls are those of net.Conn.Read.
type idleWaiter struct {
	raw     syscall.RawConn
	space   func() []byte // where to read
	onBlock func()        // run before each wait
	n       int
	err     error
	try     func(fd uintptr) bool
}

// newIdleWaiter returns a waiter for nc, or nil when nc exposes no
// descriptor (net.Pipe, TLS).
func newIdleWaiter(nc net.Conn, space func() []byte, onBlock func()) *idleWaiter {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	w := &idleWaiter{raw: raw, space: space, onBlock: onBlock}
	w.try = w.tryRead
	return w
}

// read reads once, like net.Conn.Read into space(), blocking until data,
// the end of the stream or an error.
func (w *idleWaiter) read() (int, error) {
	w.n, w.err = 0, nil
	if err := w.raw.Read(w.try); err != nil {
		return 0, err
	}
	return w.n, w.err
}

// tryRead is one non-blocking read attempt: false asks the poller to wait.
func (w *idleWaiter) tryRead(fd uintptr) bool {
	b := w.space()
	for {
		n, err := syscall.Read(int(fd), b)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			w.onBlock()
			return false
		case err != nil:
			w.err = os.NewSyscallError("read", err)
		case n == 0 && len(b) > 0:
			w.err = io.EOF
		default:
			w.n = n
		}
		return true
	}
}
