//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package esl

import "net"

// idleWaiter is not available on this platform: the reader always reads
// with net.Conn.Read into its current chunk.
type idleWaiter struct{}

func newIdleWaiter(net.Conn, func() []byte, func()) *idleWaiter { return nil }

func (*idleWaiter) read() (int, error) { panic("esl: no idle reads on this platform") }
