package esl

import (
	"errors"
	"net"
	"syscall"
)

// endHookConn is an outbound socket that carries what its Conn's reader
// runs when it stops (after Done closed): the session's end, without a
// goroutine per call waiting on Done.
type endHookConn struct {
	net.Conn
	onEnd func()
}

// withEndHook wraps nc so that the reader of the Conn built on it calls
// onEnd once, as it stops.
func withEndHook(nc net.Conn, onEnd func()) net.Conn {
	return &endHookConn{Conn: nc, onEnd: onEnd}
}

// readerStopped runs the end hook.
func (c *endHookConn) readerStopped() { c.onEnd() }

// errNoRawConn says the wrapped socket has no file descriptor.
var errNoRawConn = errors.New("esl: socket has no raw connection")

// SyscallConn exposes the wrapped socket's descriptor (for the reader's
// idle wait), failing when it has none.
func (c *endHookConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errNoRawConn
}
