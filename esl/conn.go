package esl

import (
	"context"
	"net"
)

// Conn is one live ESL socket, inbound or outbound. It owns exactly one
// reader goroutine. Commands may be sent from many goroutines at once;
// replies are matched to callers in order. Every wait takes a context: a
// caller that gives up leaves its reply to be consumed and discarded, never
// handed to the next caller. When the socket dies, every pending call fails
// at once with an error wrapping ErrConnLost.
type Conn struct {
	// TODO(H2)
}

// NewConn wraps an established, already-authenticated socket (or an
// outbound one) and starts its reader.
func NewConn(nc net.Conn, opts ConnOptions) *Conn { panic("TODO") }

// ConnOptions tunes a Conn.
type ConnOptions struct {
	// Node is stamped on every event (Event.Node).
	Node string
	// OnEvent, if set, is called on the reader goroutine for every event
	// before subscriptions see it. It must not block.
	OnEvent func(*Event)
	// OnFrame, if set, sees every non-reply frame (log/data, notices).
	OnFrame func(*Frame)
}

// Send writes cmd and waits for its command/reply. A -ERR reply is returned
// with a *CommandError.
func (c *Conn) Send(ctx context.Context, cmd Command) (*Reply, error) { panic("TODO") }

// API runs "api cmd" and returns the body. A body starting with -ERR is
// returned with a *CommandError as well.
func (c *Conn) API(ctx context.Context, cmd string) (string, error) { panic("TODO") }

// BgAPI runs "bgapi cmd" with a Job-UUID of our own and returns the job.
// The BACKGROUND_JOB event subscription is added automatically.
func (c *Conn) BgAPI(ctx context.Context, cmd string) (*Job, error) { panic("TODO") }

// Subscribe registers a Go-side subscriber. See Subscription for the
// delivery policy.
func (c *Conn) Subscribe(opts SubscribeOptions) *Subscription { panic("TODO") }

// Close closes the socket; pending calls fail with ErrClosed.
func (c *Conn) Close() error { panic("TODO") }

// Done is closed when the socket is gone.
func (c *Conn) Done() <-chan struct{} { panic("TODO") }

// Err returns why the connection ended (nil while alive).
func (c *Conn) Err() error { panic("TODO") }

// Job is a bgapi job in flight.
type Job struct {
	// UUID is the Job-UUID we chose.
	UUID string
	// TODO(H2)
}

// Wait blocks until the BACKGROUND_JOB arrives and returns its body. A body
// starting with -ERR comes back with a *CommandError.
func (j *Job) Wait(ctx context.Context) (string, error) { panic("TODO") }

// Done is closed when the result is in (or the connection died).
func (j *Job) Done() <-chan struct{} { panic("TODO") }

// Event returns the BACKGROUND_JOB event once Done is closed.
func (j *Job) Event() *Event { panic("TODO") }

// SubscribeOptions selects which events a Subscription gets.
type SubscribeOptions struct {
	// Filter, if set, keeps only events for which it returns true. It runs
	// on the reader goroutine and must be fast.
	Filter func(*Event) bool
	// Queue is the bounded queue length (default 65536).
	Queue int
}

// Subscription is a bounded, ordered event queue for one consumer. The
// reader never blocks on it: when the queue is full the event is dropped
// and counted (Dropped). Lag is observable through Len.
type Subscription struct {
	// C delivers events in wire order. It is closed when the subscription
	// ends (Close, or the connection ended).
	C <-chan *Event
	// TODO(H2)
}

// Dropped returns how many events were dropped because the queue was full.
func (s *Subscription) Dropped() uint64 { panic("TODO") }

// Len returns how many events wait in the queue.
func (s *Subscription) Len() int { panic("TODO") }

// Close ends the subscription.
func (s *Subscription) Close() { panic("TODO") }
