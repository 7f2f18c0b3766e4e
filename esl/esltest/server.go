package esltest

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

// ErrClosed is returned by Server methods after Close.
var ErrClosed = errors.New("esltest: server closed")

// Server is a simulated FreeSWITCH: an inbound event socket listener, a set
// of simulated channels and a dialer for outbound (socket app) connections.
// All methods are safe for concurrent use.
type Server struct {
	opts     Options
	coreUUID string
	started  time.Time

	mu       sync.Mutex
	ln       net.Listener
	addr     string
	closed   bool
	faults   Faults
	conns    map[*Conn]struct{}
	nextConn int
	calls    map[string]*Call
	callList []*Call
	apis     map[string]APIFunc
	apps     map[string]AppFunc
	dialFail []dialRule
	globals  map[string]string
	hash, db realmStore // mod_hash's and mod_db's data
	canned   []cannedReply
	cmds     []Command
	changed  chan struct{} // closed and replaced on every state change
	sessions int

	emitMu sync.Mutex // serialises event building + delivery (sequence order)

	wg sync.WaitGroup
}

// Start creates a simulator and starts listening on opts.Addr.
func Start(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	s := &Server{
		opts:     opts,
		coreUUID: newUUID(),
		started:  time.Now(),
		faults:   opts.Faults,
		conns:    map[*Conn]struct{}{},
		calls:    map[string]*Call{},
		apis:     map[string]APIFunc{},
		apps:     map[string]AppFunc{},
		globals:  defaultGlobals(opts.Hostname),
		hash:     realmStore{},
		db:       realmStore{},
		changed:  make(chan struct{}),
	}
	s.installAPIs()
	s.installApps()
	if err := s.listen(opts.Addr); err != nil {
		return nil, err
	}
	return s, nil
}

// New starts a simulator for a test and closes it in t.Cleanup. It fails
// the test if the listener cannot be created.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("esltest: start: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Addr returns the inbound listen address ("127.0.0.1:port"). It stays the
// same across Stop/Start and Restart.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Password returns the configured ESL password.
func (s *Server) Password() string { return s.opts.Password }

// CoreUUID returns the simulated Core-UUID.
func (s *Server) CoreUUID() string { return s.coreUUID }

// SetFaults replaces the active fault injection settings.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

func (s *Server) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Server) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	s.mu.Unlock()
	s.wg.Add(1)
	go s.acceptLoop(ln)
	return nil
}

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		c := s.newConn(nc, false)
		if c == nil {
			nc.Close()
			continue
		}
		c.start()
	}
}

// Stop closes the listener and every connection (inbound and outbound),
// like a FreeSWITCH shutdown; calls stay. Start listens again on the same
// address.
func (s *Server) Stop() {
	s.mu.Lock()
	ln := s.ln
	s.ln = nil
	conns := s.connList()
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	for _, c := range conns {
		c.kill(shutdownMessage)
	}
	for _, c := range conns {
		<-c.done
	}
}

// Start listens again on the previous address after Stop.
func (s *Server) Start() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	running, addr := s.ln != nil, s.addr
	s.mu.Unlock()
	if running {
		return nil
	}
	return s.listen(addr)
}

// Restart stops the server and listens again on the same address, retrying
// until ctx ends if the port is not free yet.
func (s *Server) Restart(ctx context.Context) error {
	s.Stop()
	for {
		err := s.Start()
		if err == nil || errors.Is(err, ErrClosed) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Close stops the server for good: listener, connections and calls.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	calls := append([]*Call(nil), s.callList...)
	s.mu.Unlock()
	s.Stop()
	for _, c := range calls {
		c.shutdown()
	}
	s.wg.Wait()
}

// connList returns the connections; s.mu must be held.
func (s *Server) connList() []*Conn {
	out := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}
