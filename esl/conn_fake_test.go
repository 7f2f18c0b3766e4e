package esl

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test doubles for conn_* and client_* tests: a tiny FreeSWITCH stand-in
// on 127.0.0.1 that reads commands and writes exact bytes.

// testWait bounds every wait in these tests.
const testWait = 5 * time.Second

// peer is the server side of one accepted test connection.
type peer struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

// read returns the next full command (header block plus body), or "" at
// EOF or on error.
func (p *peer) read() string {
	_ = p.nc.SetReadDeadline(time.Now().Add(testWait))
	var b strings.Builder
	n := 0
	for {
		line, err := p.br.ReadString('\n')
		if err != nil {
			return ""
		}
		b.WriteString(line)
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
		if line == "\n" && b.Len() > 1 {
			break
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(p.br, body); err != nil {
		return ""
	}
	return b.String() + string(body)
}

// expect reads a command and fails the test unless it equals want.
func (p *peer) expect(want string) bool {
	p.t.Helper()
	if got := p.read(); got != want {
		p.t.Errorf("server got %q, want %q", got, want)
		return false
	}
	return true
}

// send writes raw bytes.
func (p *peer) send(s string) {
	_ = p.nc.SetWriteDeadline(time.Now().Add(testWait))
	_, _ = p.nc.Write([]byte(s))
}

// peerServer accepts connections and runs script for each, in order.
type peerServer struct {
	ln net.Listener
	wg sync.WaitGroup
	mu sync.Mutex
	nc []net.Conn
}

// startPeerServer listens on addr ("127.0.0.1:0" for any port) and runs
// one script per accepted connection (the last script repeats).
func startPeerServer(t *testing.T, addr string, scripts ...func(*peer)) *peerServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &peerServer{ln: ln}
	s.wg.Add(1)
	go s.acceptLoop(t, scripts)
	t.Cleanup(s.stop)
	return s
}

// addr is the listening address.
func (s *peerServer) addr() string { return s.ln.Addr().String() }

// acceptLoop runs the scripts until the listener closes.
func (s *peerServer) acceptLoop(t *testing.T, scripts []func(*peer)) {
	defer s.wg.Done()
	for i := 0; ; i++ {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.nc = append(s.nc, nc)
		s.mu.Unlock()
		script := scripts[min(i, len(scripts)-1)]
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer nc.Close()
			script(&peer{t: t, nc: nc, br: bufio.NewReader(nc)})
		}()
	}
}

// stop closes the listener and every connection and waits for scripts.
func (s *peerServer) stop() {
	_ = s.ln.Close()
	s.mu.Lock()
	for _, nc := range s.nc {
		_ = nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// dialConn connects a bare Conn (no auth) to a one-script server.
func dialConn(t *testing.T, opts ConnOptions, script func(*peer)) *Conn {
	t.Helper()
	s := startPeerServer(t, "127.0.0.1:0", script)
	nc, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	c := NewConn(nc, opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Frames as FreeSWITCH writes them.
const frGreeting = "Content-Type: auth/request\n\n"

const frBye = "Content-Type: text/disconnect-notice\nContent-Length: 67\n\n" +
	"Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"

func frReply(text string) string {
	return "Content-Type: command/reply\nReply-Text: " + text + "\n\n"
}

func frAPI(body string) string {
	return fmt.Sprintf("Content-Type: api/response\nContent-Length: %d\n\n%s", len(body), body)
}

// frEvent builds a text/event-plain frame; kv are name, value pairs
// (values must not need URL-encoding).
func frEvent(body string, kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(kv[i] + ": " + kv[i+1] + "\n")
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\n\n%s", len(body), body)
	} else {
		b.WriteString("\n")
	}
	inner := b.String()
	return fmt.Sprintf("Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(inner), inner)
}

// recvWithin receives from c or fails the test after testWait.
func recvWithin[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(testWait):
		t.Fatal("timed out waiting")
	}
	var zero T
	return zero
}
