package esl

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is one live ESL socket, inbound or outbound. It owns exactly one
// reader goroutine. Commands may be sent from many goroutines at once;
// replies are matched to callers in order. Every wait takes a context: a
// caller that gives up leaves its reply to be consumed and discarded, never
// handed to the next caller. When the socket dies, every pending call fails
// at once with an error wrapping ErrConnLost (ErrClosed after Close).
//
// The reader classifies frames: command/reply and api/response are replies;
// events are parsed, stamped with Node and passed to bgapi job tracking,
// then ConnOptions.OnEvent, then every Subscription; other frames go to
// ConnOptions.OnFrame. A text/disconnect-notice with a body (and no
// "Content-Disposition: linger") ends the connection.
type Conn struct {
	nc   net.Conn
	opts ConnOptions
	log  *slog.Logger

	mu      sync.Mutex
	wq      writeQueue      // commands not yet written
	pending []*call         // FIFO of callers waiting for a reply
	jobs    map[string]*Job // bgapi jobs by Job-UUID
	err     error           // why the connection ended

	subs       subSet
	chunks     chunkCache // read chunks released by borrowed events
	done       chan struct{}
	readerDone chan struct{}
	greeted    chan struct{} // closed at the first auth/request
	greetOnce  sync.Once

	jobEvents   atomic.Bool   // BACKGROUND_JOB is subscribed on the wire
	format      atomic.Uint32 // last event format asked for
	lateReplies atomic.Uint64
	reads       atomic.Uint64 // socket reads that returned bytes (liveness)
	lastRead    atomic.Int64  // when a read last returned bytes (unix ns; 0: never)
}

// ConnOptions tunes a Conn.
type ConnOptions struct {
	// Node is stamped on every event (Event.Node).
	Node string
	// OnEvent, if set, is called on the reader goroutine for every event
	// before subscriptions see it. It must not block.
	OnEvent func(*Event)
	// OnFrame, if set, sees every non-reply, non-event frame (log/data,
	// disconnect notices including linger notices) on the reader
	// goroutine. The frame is valid only during the call; Clone it to
	// keep it. It must not block.
	OnFrame func(*Frame)
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger
	// JobTimeout bounds how long a bgapi job waits for its BACKGROUND_JOB
	// before it fails with ErrJobTimeout and is forgotten
	// (DefaultJobTimeout when zero; negative: no bound).
	JobTimeout time.Duration

	// lendTo is set by Client, whose OnEvent publishes to its own
	// subscriptions: events may be lent when all of them borrow.
	lendTo *subSet
}

// NewConn wraps an established, already-authenticated socket (or an
// outbound one) and starts its reader.
func NewConn(nc net.Conn, opts ConnOptions) *Conn {
	c := &Conn{
		nc:         nc,
		opts:       opts,
		log:        opts.Logger,
		jobs:       make(map[string]*Job),
		done:       make(chan struct{}),
		readerDone: make(chan struct{}),
		greeted:    make(chan struct{}),
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	go c.readLoop()
	return c
}

// Send writes cmd and waits for its command/reply. A -ERR reply is returned
// with a *CommandError.
func (c *Conn) Send(ctx context.Context, cmd Command) (*Reply, error) {
	f, err := c.roundTrip(ctx, cmd)
	if err != nil {
		return nil, err
	}
	r := newReply(f)
	if err := r.Err(); err != nil {
		return r, err
	}
	c.observe(cmd)
	return r, nil
}

// API runs "api cmd" and returns the body. A body starting with -ERR is
// returned with a *CommandError as well.
func (c *Conn) API(ctx context.Context, cmd string) (string, error) {
	res, err := c.exchange(ctx, API{Command: cmd}, replyBody, nil)
	if err != nil {
		return "", err
	}
	if !res.isBody { // refused: "-ERR permission denied"
		r := newReply(res.f)
		return r.Text, r.Err()
	}
	return res.body, errorText(res.body)
}

// Subscribe registers a Go-side subscriber. See Subscription for the
// delivery policy. On a dead connection the subscription comes back
// already closed.
func (c *Conn) Subscribe(opts SubscribeOptions) *Subscription { return c.subs.add(opts) }

// Close closes the socket; pending calls fail with ErrClosed. It does not
// wait for FreeSWITCH (send Exit first for a polite goodbye).
func (c *Conn) Close() error {
	c.shutdown(ErrClosed)
	return nil
}

// Done is closed when the socket is gone, before its subscriptions' channels
// close.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended (nil while alive).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// LateReplies counts replies that arrived after their caller gave up and
// were discarded.
func (c *Conn) LateReplies() uint64 { return c.lateReplies.Load() }

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// shutdown ends the connection once: it closes the socket, fails every
// pending call and job with err, and closes Done, then the subscriptions:
// whoever sees a subscription end finds Done closed and Err set.
func (c *Conn) shutdown(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	pending, jobs := c.pending, c.jobs
	c.pending, c.jobs = nil, nil
	c.wq.buf, c.wq.ends = nil, nil // their calls are in pending
	c.mu.Unlock()
	_ = c.nc.Close()
	for _, cl := range pending {
		cl.ch <- result{err: err}
	}
	for _, j := range jobs {
		j.finish(nil, err)
	}
	close(c.done)
	c.subs.closeAll()
}
