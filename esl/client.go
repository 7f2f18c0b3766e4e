package esl

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Options configure an inbound Client.
type Options struct {
	// Password for "auth". Never logged, never in an error text.
	Password string
	// User, if set, authenticates with "userauth User:Password".
	User string
	// Node names this FreeSWITCH in events, logs and state changes.
	Node string
	// DialTimeout bounds the TCP connect (default 5s).
	DialTimeout time.Duration
	// AuthTimeout bounds the wait for auth/request and the auth reply (default 5s).
	AuthTimeout time.Duration
	// Reconnect turns on automatic reconnection after the socket is lost.
	Reconnect bool
	// BackoffMin and BackoffMax bound the exponential backoff with jitter
	// (defaults 100ms and 10s). Attempt n waits a uniformly random time in
	// [BackoffMin, min(BackoffMax, BackoffMin<<n)].
	BackoffMin, BackoffMax time.Duration
	// OnState is called (never concurrently) on every state change. It
	// must not call Close (use a goroutine).
	OnState func(StateChange)
	// OnFrame, if set, sees log/data frames and notices (see
	// ConnOptions.OnFrame).
	OnFrame func(*Frame)
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger
	// Liveness bounds how long a connection may stay silent before the
	// client checks that FreeSWITCH still answers (default 30s; negative:
	// never). After Liveness/3 without a byte read it sends a probe ("api
	// uptime"); with no reply within twice that, the connection counts as
	// lost (ErrConnLost, "no reply from FreeSWITCH"), like a closed socket:
	// StateLost, then a reconnect with Reconnect. FreeSWITCH runs an api
	// command on the socket's own thread, so an api command that blocks it
	// longer than Liveness looks the same; use bgapi for long commands.
	Liveness time.Duration
	// EventFormat is the format of every "event" command the client sends
	// (Events, the BACKGROUND_JOB subscription, the replay after a
	// reconnect): FormatPlain (the zero value) or FormatJSON. Events in
	// either format read the same.
	EventFormat Format
}

// withDefaults fills in zero durations and the logger.
func (o Options) withDefaults() Options {
	o.DialTimeout = orDefault(o.DialTimeout, 5*time.Second)
	o.AuthTimeout = orDefault(o.AuthTimeout, 5*time.Second)
	o.BackoffMin = orDefault(o.BackoffMin, 100*time.Millisecond)
	o.BackoffMax = orDefault(o.BackoffMax, 10*time.Second)
	o.BackoffMax = max(o.BackoffMax, o.BackoffMin)
	if o.Liveness == 0 {
		o.Liveness = DefaultLiveness
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// DefaultLiveness is Options.Liveness when unset.
const DefaultLiveness = 30 * time.Second

// orDefault returns d when v is not positive.
func orDefault(v, d time.Duration) time.Duration {
	if v <= 0 {
		return d
	}
	return v
}

// State is a client's connection state.
type State int

// Client states.
const (
	StateConnecting State = iota
	StateConnected
	StateLost
	StateReconnecting
	StateClosed
)

// String returns the state's name ("connected", "lost", ...).
func (s State) String() string {
	switch s {
	case StateConnecting:
		return "connecting"
	case StateConnected:
		return "connected"
	case StateLost:
		return "lost"
	case StateReconnecting:
		return "reconnecting"
	case StateClosed:
		return "closed"
	}
	return "unknown"
}

// StateChange reports a transition; Err says why for StateLost.
type StateChange struct {
	Node  string
	State State
	Err   error
	// Attempt counts reconnect attempts since the loss.
	Attempt int
	// LastRead is, for StateLost, when bytes were last read from the lost
	// connection (zero if never): nothing FreeSWITCH sent before it was
	// missed.
	LastRead time.Time
}

// Client is an inbound ESL connection with optional reconnect. On
// reconnect it re-sends the event subscriptions and filters made through
// Events and Filter; Go-side Subscriptions carry on across reconnects.
//
// State changes, in order: StateConnected (Dial), then on a loss
// StateLost (with the error), and with Reconnect StateReconnecting for
// each attempt and StateConnected again; StateClosed after Close. While
// reconnecting, calls fail at once with ErrNotConnected; without
// Reconnect, calls after a loss fail with the loss error (ErrConnLost).
type Client struct {
	addr   string
	opts   Options
	subs   subSet
	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	mu      sync.Mutex
	conn    *Conn
	state   State
	closed  bool
	events  []*eventsCall // Events calls to replay
	filters []Filter      // filters to replay, in order

	stateMu sync.Mutex // serializes OnState
	supDone chan struct{}
}

// Dial connects, waits for auth/request, authenticates and returns a live
// client. A wrong password gives ErrAuthFailed, an ACL refusal ErrRejected,
// a command refused before auth ErrNotAuthenticated, no greeting or reply
// within AuthTimeout ErrAuthTimeout. Dial itself does not retry; Reconnect
// applies to losses after it returns. Dial subscribes to BACKGROUND_JOB so
// that BgAPI works.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	c := &Client{addr: addr, opts: opts.withDefaults(), supDone: make(chan struct{})}
	conn, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.install(conn, 0)
	go c.supervise(conn)
	return c, nil
}

// Send sends any command on the current connection. Commands sent this
// way are not replayed after a reconnect; use Events and Filter for that.
func (c *Client) Send(ctx context.Context, cmd Command) (*Reply, error) {
	conn, err := c.current()
	if err != nil {
		return nil, err
	}
	return conn.Send(ctx, cmd)
}

// API runs an api command (see Conn.API).
func (c *Client) API(ctx context.Context, cmd string) (string, error) {
	conn, err := c.current()
	if err != nil {
		return "", err
	}
	return conn.API(ctx, cmd)
}

// BgAPI runs a bgapi command (see Conn.BgAPI). A job in flight when the
// connection is lost fails with ErrConnLost; it is not re-run.
func (c *Client) BgAPI(ctx context.Context, cmd string) (*Job, error) {
	conn, err := c.current()
	if err != nil {
		return nil, err
	}
	return conn.BgAPI(ctx, cmd)
}

// Subscribe adds a Go-side subscriber that survives reconnects. Its
// channel closes only on Close (of the subscription or the client).
func (c *Client) Subscribe(opts SubscribeOptions) *Subscription { return c.subs.add(opts) }

// State returns the current state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Close closes the client and stops reconnecting. It waits until the
// background goroutine has reported StateClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	<-c.supDone
	return nil
}

// current returns the live connection or why there is none.
func (c *Client) current() (*Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, ErrClosed
	case c.conn == nil:
		return nil, ErrNotConnected
	}
	return c.conn, nil
}

// report records and announces a state change.
func (c *Client) report(sc StateChange) {
	sc.Node = c.opts.Node
	c.mu.Lock()
	c.state = sc.State
	c.mu.Unlock()
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	if c.opts.OnState != nil {
		c.opts.OnState(sc)
	}
}
