package conformance

import (
	"net"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// listener is the test's outbound socket server: one connection per call.
type listener struct {
	ln net.Listener
}

func listen(t *testing.T) *listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return &listener{ln: ln}
}

// Addr is "127.0.0.1:port".
func (l *listener) Addr() string { return l.ln.Addr().String() }

// sock is one outbound socket connection, driven by the test through
// esl.Conn (no esl.Server: the suite controls every command).
type sock struct {
	t       *testing.T
	nc      net.Conn
	c       *esl.Conn
	sub     *esl.Subscription
	notices chan string // Content-Disposition of each disconnect notice
	uuid    string
	data    *esl.Event
}

// Accept waits for the next outbound connection.
func (l *listener) Accept(t *testing.T) *sock {
	t.Helper()
	type res struct {
		nc  net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		nc, err := l.ln.Accept()
		ch <- res{nc, err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-time.After(limit):
		t.Fatalf("no outbound connection within %s", limit)
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	s := &sock{t: t, nc: r.nc, notices: make(chan string, 4)}
	s.c = esl.NewConn(r.nc, esl.ConnOptions{OnFrame: func(f *esl.Frame) {
		if f.ContentType() == esl.TypeDisconnectNotice {
			d := f.Header("Content-Disposition")
			if d == "" {
				d = "(none)"
			}
			s.notices <- d
		}
	}})
	s.sub = s.c.Subscribe(esl.SubscribeOptions{})
	t.Cleanup(func() { s.c.Close() })
	return s
}

// Send sends cmd and returns its reply text, or "error: ..." when the
// command failed without a reply.
func (s *sock) Send(cmd esl.Command) string {
	s.t.Helper()
	r, err := s.c.Send(ctxT(s.t), cmd)
	if err != nil && r == nil {
		return "error: " + err.Error()
	}
	return r.Text
}

// Connect sends connect and keeps the channel data.
func (s *sock) Connect() string {
	s.t.Helper()
	r, err := s.c.Send(ctxT(s.t), esl.Connect{})
	if err != nil {
		s.t.Fatalf("connect: %v", err)
	}
	s.data = r.Frame.HeaderEvent()
	s.uuid = s.data.UniqueID()
	return r.Text
}

// Next returns the next event on the socket.
func (s *sock) Next() *esl.Event {
	s.t.Helper()
	select {
	case ev, ok := <-s.sub.C:
		if !ok {
			s.t.Fatal("socket ended while waiting for an event")
		}
		return ev
	case <-time.After(limit):
		s.t.Fatalf("no event within %s", limit)
	}
	return nil
}

// Until reads events until one matches stop and returns them all.
func (s *sock) Until(stop func(*esl.Event) bool) []*esl.Event {
	s.t.Helper()
	var out []*esl.Event
	for {
		ev := s.Next()
		out = append(out, ev)
		if stop(ev) {
			return out
		}
	}
}

// Notice waits for the next disconnect notice's disposition.
func (s *sock) Notice() string {
	s.t.Helper()
	select {
	case d := <-s.notices:
		return d
	case <-time.After(limit):
		s.t.Fatalf("no disconnect notice within %s", limit)
	}
	return ""
}

// Closed waits until the server closed the socket.
func (s *sock) Closed() {
	s.t.Helper()
	select {
	case <-s.c.Done():
	case <-time.After(limit):
		s.t.Fatalf("socket still open after %s", limit)
	}
}

// named matches events called name.
func named(name string) func(*esl.Event) bool {
	return func(ev *esl.Event) bool { return ev.Name() == name }
}

// completes matches the CHANNEL_EXECUTE_COMPLETE of app.
func completes(app string) func(*esl.Event) bool {
	return func(ev *esl.Event) bool {
		return ev.Name() == "CHANNEL_EXECUTE_COMPLETE" && ev.Get("Application") == app
	}
}
