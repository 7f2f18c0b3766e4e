// Package rediskv is a Redis backend for the kv Lua module (bindings.KV),
// so that several eslscript processes (an HA pair, a daemon and its
// `eslscript exec` jobs) share one store. It lives apart from package
// bindings so that only programs that choose Redis link its client.
//
// Semantics match bindings.MemoryKV: a ttl <= 0 means no expiry, Incr on a
// missing key starts at 0 and fails with bindings.ErrNotInteger on any
// other value, Keys is sorted. Every call is bounded by its context and by
// Options.Timeout; a store that is down or slow fails with ErrUnavailable.
package rediskv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultTimeout bounds one call when Options.Timeout is 0.
const DefaultTimeout = time.Second

// ErrUnavailable is matched (errors.Is) by every failure to reach Redis
// or to get its answer in time.
var ErrUnavailable = errors.New("rediskv: redis unavailable")

// Options configure a Store. Printing them never shows Password.
type Options struct {
	// Address is the server's host:port.
	Address string
	// Password authenticates with AUTH when set.
	Password string
	// DB is the database number (SELECT).
	DB int
	// Prefix namespaces every key (a deployment's "eslscript:"); Keys
	// matches and strips it, so scripts never see it.
	Prefix string
	// Timeout bounds each call, connecting included (DefaultTimeout when 0).
	Timeout time.Duration
	// Logger receives the Redis client's own messages at debug level
	// (process-wide: the client library has one logger). Nil leaves them
	// on standard error.
	Logger *slog.Logger
}

// Store is a bindings.KV held in Redis. It is safe for concurrent use and
// connects lazily: a server that is down at start only fails the calls.
type Store struct {
	c       *redis.Client
	prefix  string
	timeout time.Duration
}

// New returns a Store for opts; Close releases its connections.
func New(opts Options) *Store {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger != nil {
		redis.SetLogger(logAdapter{opts.Logger})
	}
	return &Store{c: redis.NewClient(clientOptions(opts)), prefix: opts.Prefix, timeout: opts.Timeout}
}

// clientOptions bounds every network step by the timeout, fails fast on
// a refused connection (one dial, one command retry: enough to replace a
// pooled connection that a server restart broke) and turns off what a
// plain Redis does not need (client identity, maintenance pushes).
func clientOptions(opts Options) *redis.Options {
	return &redis.Options{
		Addr:                     opts.Address,
		Password:                 opts.Password,
		DB:                       opts.DB,
		MaxRetries:               1,
		DialerRetries:            1,
		DialTimeout:              opts.Timeout,
		ReadTimeout:              opts.Timeout,
		WriteTimeout:             opts.Timeout,
		PoolTimeout:              opts.Timeout,
		ContextTimeoutEnabled:    true,
		DisableIdentity:          true,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	}
}

// Close closes the connections; the Store must not be used afterwards.
func (s *Store) Close() error { return s.c.Close() }

// Ping checks that the server answers within the timeout.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.fail("ping", s.c.Ping(ctx).Err())
}

// bound limits ctx by the per-call timeout.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// fail maps a client error: nil stays nil, a server reply about a
// non-integer becomes bindings.ErrNotInteger, other server replies keep
// their text, and everything else (network, timeout) is ErrUnavailable.
func (s *Store) fail(op string, err error) error {
	var reply redis.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &reply) && strings.Contains(err.Error(), "not an integer"):
		return bindings.ErrNotInteger
	case errors.As(err, &reply):
		return fmt.Errorf("rediskv: %s: %w", op, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}

// logAdapter hands the Redis client's messages to a slog.Logger.
type logAdapter struct{ log *slog.Logger }

// Printf implements the client library's logging interface.
func (a logAdapter) Printf(ctx context.Context, format string, v ...any) {
	a.log.DebugContext(ctx, "rediskv: "+fmt.Sprintf(format, v...))
}

// Interface guard.
var _ bindings.KV = (*Store)(nil)
