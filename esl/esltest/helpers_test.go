package esltest

import (
	"bufio"
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// frame is one packet read by the raw test client.
type frame struct {
	raw     string // header block as received, including the blank line
	headers map[string]string
	body    string
}

func (f frame) get(n string) string { return f.headers[n] }

// raw is a test client speaking bytes over net.Conn.
type raw struct {
	t  testing.TB
	nc net.Conn
	r  *bufio.Reader
}

func dialRaw(t testing.TB, addr string) *raw {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { nc.Close() })
	return &raw{t: t, nc: nc, r: bufio.NewReader(nc)}
}

func wrapRaw(t testing.TB, nc net.Conn) *raw {
	t.Cleanup(func() { nc.Close() })
	return &raw{t: t, nc: nc, r: bufio.NewReader(nc)}
}

// authed dials and authenticates with the default password.
func authed(t testing.TB, s *Server) *raw {
	c := dialRaw(t, s.Addr())
	c.expectType("auth/request")
	c.send("auth ClueCon")
	c.expectReply("+OK accepted")
	return c
}

func (c *raw) send(cmd string) {
	c.t.Helper()
	if !strings.HasSuffix(cmd, "\n\n") {
		cmd += "\n\n"
	}
	if _, err := io.WriteString(c.nc, cmd); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// read reads one frame within 5 s.
func (c *raw) read() frame {
	c.t.Helper()
	f, err := c.tryRead(5 * time.Second)
	if err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	return f
}

func (c *raw) tryRead(d time.Duration) (frame, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(d))
	f := frame{headers: map[string]string{}}
	var b strings.Builder
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return f, err
		}
		b.WriteString(line)
		if line == "\n" {
			break
		}
		n, v, _ := strings.Cut(strings.TrimSuffix(line, "\n"), ": ")
		if _, dup := f.headers[n]; !dup {
			f.headers[n] = v
		}
	}
	f.raw = b.String()
	if cl := f.headers["Content-Length"]; cl != "" {
		n, _ := strconv.Atoi(cl)
		buf := make([]byte, n)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return f, err
		}
		f.body = string(buf)
	}
	return f, nil
}

func (c *raw) expectType(ct string) frame {
	c.t.Helper()
	f := c.read()
	if f.get("Content-Type") != ct {
		c.t.Fatalf("want %s, got %q", ct, f.raw+f.body)
	}
	return f
}

func (c *raw) expectReply(text string) frame {
	c.t.Helper()
	f := c.expectType("command/reply")
	if got := f.get("Reply-Text"); got != text {
		c.t.Fatalf("Reply-Text = %q, want %q", got, text)
	}
	return f
}

func (c *raw) api(cmd string) string {
	c.t.Helper()
	c.send("api " + cmd)
	return c.expectType("api/response").body
}

// event reads the next plain event and parses its inner header block.
func (c *raw) event() frame {
	c.t.Helper()
	f := c.expectType("text/event-plain")
	return parseInner(f.body)
}

// eventNamed skips events until one named name arrives.
func (c *raw) eventNamed(name string) frame {
	c.t.Helper()
	for {
		if e := c.event(); e.get("Event-Name") == name {
			return e
		}
	}
}

// parseInner parses a text/event-plain body (values URL-decoded).
func parseInner(s string) frame {
	e := frame{headers: map[string]string{}, raw: s}
	head, body, _ := strings.Cut(s, "\n\n")
	for _, l := range strings.Split(head, "\n") {
		n, v, _ := strings.Cut(l, ": ")
		if dv, err := urlDecode(v); err == nil {
			v = dv
		}
		if _, dup := e.headers[n]; !dup {
			e.headers[n] = v
		}
	}
	e.body = body
	return e
}

func urlDecode(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}

// expectClosed reads until EOF, failing on anything but a clean close.
func (c *raw) expectClosed() {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := c.r.ReadByte(); err != io.EOF {
		c.t.Fatalf("want EOF, got byte %q err %v", b, err)
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func fastSim(t testing.TB, o Options) *Server {
	if o.TimeScale == 0 {
		o.TimeScale = 0.001
	}
	return New(t, o)
}

// replyAmid reads until a command/reply, returning the plain events that
// came first (events are written between commands, so they interleave).
func (c *raw) replyAmid(text string) []frame {
	c.t.Helper()
	var evs []frame
	for {
		f := c.read()
		switch f.get("Content-Type") {
		case "text/event-plain":
			evs = append(evs, parseInner(f.body))
		case "command/reply":
			if got := f.get("Reply-Text"); got != text {
				c.t.Fatalf("Reply-Text = %q, want %q", got, text)
			}
			return evs
		default:
			c.t.Fatalf("unexpected frame %q", f.raw)
		}
	}
}
