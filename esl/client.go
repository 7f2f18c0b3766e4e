package esl

import (
	"context"
	"log/slog"
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
	// (defaults 100ms and 10s).
	BackoffMin, BackoffMax time.Duration
	// OnState is called (never concurrently) on every state change.
	OnState func(StateChange)
	// Logger receives diagnostics (default: discard).
	Logger *slog.Logger
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

// StateChange reports a transition; Err says why for StateLost.
type StateChange struct {
	Node  string
	State State
	Err   error
	// Attempt counts reconnect attempts since the loss.
	Attempt int
}

// Client is an inbound ESL connection with optional reconnect. On
// reconnect it re-sends the event subscriptions and filters made through
// Events and Filter; Go-side Subscriptions carry on across reconnects.
type Client struct {
	// TODO(H2)
}

// Dial connects, waits for auth/request, authenticates and returns a live
// client. A wrong password gives ErrAuthFailed, an ACL refusal ErrRejected.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) { panic("TODO") }

// Events subscribes on the wire ("event plain NAMES... [CUSTOM subs...]").
// Names beginning with "CUSTOM " or containing "::" are sent as CUSTOM
// subclasses, last. Remembered for reconnect.
func (c *Client) Events(ctx context.Context, names ...string) error { panic("TODO") }

// Filter adds a wire filter ("filter Header value"). Remembered for reconnect.
func (c *Client) Filter(ctx context.Context, header, value string) error { panic("TODO") }

// Send sends any command on the current connection.
func (c *Client) Send(ctx context.Context, cmd Command) (*Reply, error) { panic("TODO") }

// API runs an api command (see Conn.API).
func (c *Client) API(ctx context.Context, cmd string) (string, error) { panic("TODO") }

// BgAPI runs a bgapi command (see Conn.BgAPI).
func (c *Client) BgAPI(ctx context.Context, cmd string) (*Job, error) { panic("TODO") }

// Subscribe adds a Go-side subscriber that survives reconnects.
func (c *Client) Subscribe(opts SubscribeOptions) *Subscription { panic("TODO") }

// State returns the current state.
func (c *Client) State() State { panic("TODO") }

// Close closes the client and stops reconnecting.
func (c *Client) Close() error { panic("TODO") }
