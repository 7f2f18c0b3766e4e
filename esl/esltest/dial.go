package esltest

import (
	"context"
	"net"
)

// Dial connects call to an outbound socket server at addr, as the socket
// dialplan application does ("socket addr [async] [full]"). The connection
// is pre-authenticated; the first command must be connect. It returns once
// the TCP connection is established.
func (s *Server) Dial(ctx context.Context, addr string, call *Call, o DialOptions) (*Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := s.newConn(nc, true)
	if c == nil {
		nc.Close()
		return nil, ErrClosed
	}
	c.mu.Lock()
	c.call, c.async, c.full = call, o.Async, o.Full
	c.mu.Unlock()
	call.SetVar("socket_host", hostOf(addr))
	call.SetVar("current_application", "socket")
	call.SetVar("current_application_data", socketData(addr, o))
	c.start()
	return c, nil
}

func hostOf(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}

func socketData(addr string, o DialOptions) string {
	d := addr
	if o.Async {
		d += " async"
	}
	if o.Full {
		d += " full"
	}
	return d
}
