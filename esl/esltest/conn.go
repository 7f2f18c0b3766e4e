package esltest

import (
	"bufio"
	"net"
	"sync"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Conn is the simulator's side of one event socket connection: an inbound
// client that connected to the Server, or an outbound connection the Server
// dialed for a call (Server.Dial).
type Conn struct {
	s        *Server
	nc       net.Conn
	id       int
	outbound bool
	full     bool
	async    bool
	done     chan struct{}
	once     sync.Once

	mu         sync.Mutex
	cond       *sync.Cond
	authed     bool
	connected  bool
	call       *Call
	format     esl.Format
	subs       subs
	filters    []filter
	myevents   bool
	linger     bool
	lingerSecs int
	divert     bool
	logLevel   int
	ncmds      int
	busy       bool
	replies    [][]byte
	events     []outItem
	final      []byte
	finalSet   bool
	dead       bool
	lost       int
	parkArmed  bool
	discard    bool
	firstDone  bool
	queued     uint64 // events queued so far (see Flush)
	written    uint64 // of those, events written (or given up on)
}

// outItem is one queued event or a channel-down marker.
type outItem struct {
	ev   *wireEvent
	raw  []byte
	down bool
}

func (s *Server) newConn(nc net.Conn, outbound bool) *Conn {
	c := &Conn{s: s, nc: nc, outbound: outbound, authed: outbound, done: make(chan struct{}), logLevel: -1}
	c.cond = sync.NewCond(&c.mu)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.nextConn++
	c.id = s.nextConn
	s.conns[c] = struct{}{}
	s.bumpLocked()
	return c
}

// start runs the reader and writer goroutines.
func (c *Conn) start() {
	c.s.wg.Add(2)
	go c.writeLoop()
	go c.readLoop()
}

// ID is the connection's number (Command.Conn refers to it).
func (c *Conn) ID() int { return c.id }

// Outbound reports whether the simulator dialed this connection.
func (c *Conn) Outbound() bool { return c.outbound }

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Authenticated reports whether the client passed auth (always true for
// outbound connections).
func (c *Conn) Authenticated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authed
}

// Call returns the controlled call (outbound, or inbound after myevents
// <uuid>), or nil.
func (c *Conn) Call() *Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.call
}

// Close kills the connection with the shutdown disconnect notice.
func (c *Conn) Close() { c.kill(shutdownMessage) }

// Drop closes the socket at once, without any notice.
func (c *Conn) Drop() { c.finish() }

func (c *Conn) readLoop() {
	defer c.s.wg.Done()
	if !c.greet() {
		return // the writer closes after the rejection
	}
	r := bufio.NewReader(c.nc)
	for {
		cmd, err := readCommand(r)
		if err != nil {
			c.finish()
			return
		}
		if !c.handle(cmd) {
			return // the writer closes after the final notice
		}
	}
}

// greet sends the inbound greeting (or the ACL rejection).
func (c *Conn) greet() bool {
	if c.outbound {
		return true
	}
	if c.s.opts.RejectACL {
		c.setFinal([]byte(rudeRejection))
		return false
	}
	c.queueReply([]byte(authRequest))
	return true
}

// handle runs one command; false ends the read loop.
func (c *Conn) handle(cmd Command) bool {
	cmd.Conn = c.id
	c.s.record(cmd)
	c.mu.Lock()
	c.ncmds++
	nth := c.ncmds
	c.busy = true
	c.mu.Unlock()
	if f := c.s.currentFaults().CloseAfterCommands; f > 0 && nth >= f {
		c.s.logf("esltest: conn %d: fault: closing after command %d", c.id, nth)
		c.finish()
		return false
	}
	keep := c.dispatch(cmd)
	c.mu.Lock()
	c.busy = false
	c.cond.Broadcast()
	c.mu.Unlock()
	c.s.bump()
	return keep
}

// finish tears the connection down once: socket closed, queues dropped,
// server registry updated, and an outbound call released.
func (c *Conn) finish() {
	c.once.Do(func() {
		c.mu.Lock()
		c.dead = true
		call := c.call
		c.events, c.replies = nil, nil
		c.cond.Broadcast()
		c.mu.Unlock()
		c.nc.Close()
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.bumpLocked()
		c.s.mu.Unlock()
		close(c.done)
		if c.outbound && call != nil {
			call.socketEnded()
		}
	})
}

// kill writes msg as a disconnect notice after the current write and
// closes, giving a stuck reader a few seconds.
func (c *Conn) kill(msg string) {
	c.mu.Lock()
	c.events, c.replies = nil, nil
	c.mu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(3 * time.Second))
	c.setFinal(disconnectNotice(c.sessionUUID(), msg))
}

// sessionUUID is the controlled call's uuid or "".
func (c *Conn) sessionUUID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.call == nil {
		return ""
	}
	return c.call.uuid
}
