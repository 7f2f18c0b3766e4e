//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package esl

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"testing"
)

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		nc, _ := l.Accept()
		accepted <- nc
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = obWait(t, accepted)
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func TestIdleWaiterReads(t *testing.T) {
	client, server := tcpPair(t)
	var buf [8]byte
	blocked := make(chan struct{}, 4)
	w := newIdleWaiter(server, func() []byte { return buf[:] }, func() { blocked <- struct{}{} })
	if w == nil {
		t.Fatal("no idle waiter for a TCP socket")
	}
	type res struct {
		n   int
		err error
	}
	done := make(chan res, 1)
	read := func() {
		n, err := w.read()
		done <- res{n, err}
	}
	go read()
	obWait(t, blocked) // nothing to read: onBlock runs before the wait
	write(t, client, "xy")
	if r := obWait(t, done); r.n != 2 || r.err != nil || string(buf[:2]) != "xy" {
		t.Fatalf("read %d, %v, %q; want 2 bytes xy", r.n, r.err, buf[:r.n])
	}
	client.Close()
	go read()
	if r := obWait(t, done); r.n != 0 || r.err != io.EOF {
		t.Fatalf("read after the peer closed: %d, %v; want EOF", r.n, r.err)
	}
	server.Close()
	go read()
	if r := obWait(t, done); !errors.Is(r.err, net.ErrClosed) {
		t.Fatalf("read on a closed socket: %v; want net.ErrClosed", r.err)
	}
}

// idleState is what the reader holds when it blocks between bursts.
// idleState is what an idle reader holds: a chunk, parser scratch.
type idleState struct{ chunk, parser bool }

// TestReaderDropsChunkWhenIdle checks that a quiet connection waits with
// no chunk and no parser scratch, that the next burst starts a fresh chunk, and
// that an event aliasing the dropped chunk stays intact.
func TestReaderDropsChunkWhenIdle(t *testing.T) {
	client, server := tcpPair(t)
	events := make(chan *Event, 4)
	offs := make(chan int, 4)
	c := &Conn{nc: server, log: slog.New(slog.DiscardHandler), done: make(chan struct{})}
	r := newReader(c)
	c.opts.OnEvent = func(ev *Event) {
		offs <- r.in.off
		events <- ev
	}
	idle := make(chan idleState, 4)
	r.onIdle = func() {
		r.release()
		idle <- idleState{chunk: r.in.buf != nil, parser: r.p != nil && r.p.buf != nil}
	}
	go func() {
		for r.once() == nil {
		}
	}()
	obWait(t, idle)
	frame := func(n string) string {
		body := "Event-Name: CUSTOM\nSeq: " + n + "\n\n"
		return "Content-Type: text/event-plain\nContent-Length: " + strconv.Itoa(len(body)) + "\n\n" + body
	}
	f1, f2 := frame("1"), frame("2")
	write(t, client, f1)
	ev1 := obWait(t, events)
	if off := obWait(t, offs); off != len(f1) {
		t.Fatalf("first frame ends at %d of its chunk, want %d", off, len(f1))
	}
	if st := obWait(t, idle); st.chunk || st.parser {
		t.Fatalf("idle reader holds chunk=%v parser=%v, want neither", st.chunk, st.parser)
	}
	write(t, client, f2)
	ev2 := obWait(t, events)
	if off := obWait(t, offs); off != len(f2) {
		t.Errorf("second frame ends at %d of its chunk, want %d (a fresh chunk)", off, len(f2))
	}
	if ev1.Get("Seq") != "1" || ev2.Get("Seq") != "2" {
		t.Errorf("events Seq %q, %q, want 1, 2", ev1.Get("Seq"), ev2.Get("Seq"))
	}
	client.Close()
}

func write(t *testing.T, nc net.Conn, s string) {
	t.Helper()
	if _, err := io.WriteString(nc, s); err != nil {
		t.Fatal(err)
	}
}
