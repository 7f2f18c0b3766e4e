package esltest

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"
)

// Dial runs the socket dialplan application on call ("socket addr
// [async] [full]"): CHANNEL_EXECUTE socket, then a connection to the
// outbound socket server at addr. The connection is pre-authenticated;
// the first command must be connect. It returns once the TCP connection is
// established. When the connection ends, the socket application returns
// as in FreeSWITCH: with the call up, the dialplan continues with
// CallOptions.AfterSocket, then the call hangs up with NORMAL_CLEARING
// (Call.Executed shows the socket app completed and what ran after it).
// In async mode a connection that ends before the call was parked (see
// the package documentation) leaves the call parked in the socket app
// until it hangs up. addr may list several addresses separated by "|":
// they are tried in order until one takes the connection. If none can be
// reached, the socket app returns at once, the dialplan continues, and
// Dial returns the last error.
func (s *Server) Dial(ctx context.Context, addr string, call *Call, o DialOptions) (*Conn, error) {
	call.startSocket(socketData(addr, o), o.Async)
	nc, err := dialFirst(ctx, call, addr)
	if err != nil {
		call.socketFailed()
		return nil, err
	}
	c := s.newConn(nc, true)
	if c == nil {
		nc.Close()
		call.socketEnded()
		return nil, ErrClosed
	}
	c.mu.Lock()
	c.call, c.async, c.full = call, o.Async, o.Full
	c.mu.Unlock()
	c.start()
	return c, nil
}

// dialFirst connects to the first address of a "|"-separated list that
// takes the connection, as FreeSWITCH's socket application does;
// socket_host names the host tried last.
func dialFirst(ctx context.Context, call *Call, addrs string) (net.Conn, error) {
	var err error
	for _, addr := range strings.Split(addrs, "|") {
		if addr == "" {
			continue
		}
		call.SetVar("socket_host", hostOf(addr))
		var d net.Dialer
		var nc net.Conn
		if nc, err = d.DialContext(ctx, "tcp", addr); err == nil {
			return nc, nil
		}
	}
	if err == nil {
		err = errors.New("esltest: socket: no host")
	}
	return nil, err
}

// socketDialTimeout bounds the connection of the socket application.
const socketDialTimeout = 5 * time.Second

// socketApp runs the socket application of an originated call ("addr
// [async] [full]") as Dial does; a connection that fails returns from it
// at once.
func (s *Server) socketApp(c *Call, data string) {
	f := strings.Fields(data)
	var o DialOptions
	for _, flag := range f[min(1, len(f)):] {
		o.Async = o.Async || flag == "async"
		o.Full = o.Full || flag == "full"
	}
	ctx, cancel := context.WithTimeout(context.Background(), socketDialTimeout)
	defer cancel()
	if _, err := s.Dial(ctx, strings.Join(f[:min(1, len(f))], ""), c, o); err != nil {
		s.logf("esltest: call %s: socket %s: %v", c.uuid, data, err)
	}
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
