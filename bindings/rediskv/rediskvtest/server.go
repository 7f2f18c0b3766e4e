// Package rediskvtest runs a real redis-server for tests: on a free port,
// without persistence, stopped when the test ends. Where redis-server is
// not installed the test is skipped, except under CI (the CI environment
// variable set), where that is a failure: CI never skips.
package rediskvtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// StartTimeout bounds the wait for the server to accept connections.
const StartTimeout = 10 * time.Second

// readyLine is what redis-server logs once it accepts connections.
const readyLine = "Ready to accept connections"

// errExited is a server that ended before it was ready.
var errExited = errors.New("rediskvtest: redis-server exited before it was ready")

// Options configure the server.
type Options struct {
	// Password, when set, is required from clients (requirepass).
	Password string
}

// Server is one running redis-server.
type Server struct {
	// Address is the host:port it listens on.
	Address string

	cmd      *exec.Cmd
	exited   chan struct{}
	stopOnce sync.Once
	mu       sync.Mutex
	log      strings.Builder
}

// Start runs a redis-server for t and stops it when t ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := Binary(t)
	var err error
	for range 3 { // the free port may be taken between probe and bind
		var s *Server
		if s, err = start(bin, opts); err == nil {
			t.Cleanup(s.Stop)
			return s
		}
	}
	t.Fatalf("rediskvtest: %v", err)
	return nil
}

// Binary returns redis-server's path; it skips t when there is none,
// or fails it when the CI environment variable is set.
func Binary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err == nil {
		return bin
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("rediskvtest: redis-server is required under CI: %v", err)
	}
	t.Skipf("rediskvtest: redis-server not installed: %v", err)
	return ""
}

// start launches the server on a free port and waits until it is ready.
func start(bin string, opts Options) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}
	if opts.Password != "" {
		args = append(args, "--requirepass", opts.Password)
	}
	s := &Server{Address: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), exited: make(chan struct{})}
	s.cmd = exec.Command(bin, args...)
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	return s, s.awaitReady(out)
}

// awaitReady reads the server's log until it is ready, it exits, or
// StartTimeout passes.
func (s *Server) awaitReady(out io.Reader) error {
	ready := make(chan struct{})
	go s.readLog(out, ready)
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	select {
	case <-ready:
		return nil
	case <-s.exited:
		return fmt.Errorf("%w:\n%s", errExited, s.Log())
	case <-time.After(StartTimeout):
		s.Stop()
		return fmt.Errorf("rediskvtest: redis-server not ready after %v:\n%s", StartTimeout, s.Log())
	}
}

// readLog keeps the server's log and closes ready at the ready line.
func (s *Server) readLog(out io.Reader, ready chan struct{}) {
	sc := bufio.NewScanner(out)
	signalled := false
	for sc.Scan() {
		s.mu.Lock()
		s.log.WriteString(sc.Text() + "\n")
		s.mu.Unlock()
		if !signalled && strings.Contains(sc.Text(), readyLine) {
			signalled = true
			close(ready)
		}
	}
}

// Log returns what the server has logged so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Stop kills the server and waits for it to end; later calls do nothing.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot die
		_ = s.cmd.Process.Kill()
		<-s.exited
	})
}

// Pause freezes the server (SIGSTOP): connections stay open and nothing
// answers, as with a hung host. Resume undoes it.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume lets a paused server run again (SIGCONT).
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }

// freePort returns a TCP port nobody listens on right now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
