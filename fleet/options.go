package fleet

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"
)

// Defaults applied by New to zero Options fields.
const (
	// DefaultLease is how long an instance's lease lasts without renewal.
	DefaultLease = 3 * time.Second
	// DefaultPrefix namespaces the fleet's keys in Redis.
	DefaultPrefix = "eslscript:fleet:"
	// DefaultHistory is how many recent events of a call owned by another
	// instance are kept for a replay after a takeover.
	DefaultHistory = 64
	// DefaultHistoryBytes bounds the history kept for all calls together.
	DefaultHistoryBytes = 64 << 20
	// DefaultCallTTL bounds a claim whose owner never released it.
	DefaultCallTTL = 24 * time.Hour
	// maxHeld bounds the events of one call waiting for its claim.
	maxHeld = 4096
)

// Options configure a Fleet. Printing them never shows Password.
type Options struct {
	// Address is the Redis server's host:port.
	Address string
	// Password authenticates with AUTH when set.
	Password string
	// DB is the Redis database number.
	DB int
	// Prefix namespaces the fleet's keys (DefaultPrefix when empty).
	Prefix string
	// Instance names this instance, unique in the fleet (host name and
	// process id when empty).
	Instance string
	// Lease is how long a lease lasts without renewal (DefaultLease when
	// zero); it is renewed every Lease/3. The same for every instance.
	Lease time.Duration
	// Grace is how long an instance that did not win a new call's hash
	// waits before claiming it itself (Lease/6 when zero).
	Grace time.Duration
	// History is how many recent events of each call owned elsewhere are
	// kept for replay (DefaultHistory when zero), for at most 2 Lease.
	History int
	// HistoryBytes bounds the memory of that history over all calls (the
	// events' wire size; DefaultHistoryBytes when zero). Past it events
	// are not kept: a takeover then reports them in its gap without
	// replaying them.
	HistoryBytes int64
	// CallTTL bounds a call's claim (DefaultCallTTL when zero).
	CallTTL time.Duration
	// Logger receives the fleet's logs (nil: discard).
	Logger *slog.Logger
	// Observer receives its measurements (nil: none).
	Observer Observer
}

// withDefaults returns o with its zero fields set.
func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Instance == "" {
		o.Instance = DefaultInstance()
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Grace <= 0 {
		o.Grace = o.Lease / 6
	}
	if o.History <= 0 {
		o.History = DefaultHistory
	}
	if o.HistoryBytes <= 0 {
		o.HistoryBytes = DefaultHistoryBytes
	}
	if o.CallTTL <= 0 {
		o.CallTTL = DefaultCallTTL
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = nopObserver{}
	}
	return o
}

// DefaultInstance is the host name and the process id ("fs1-4242").
func DefaultInstance() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "eslscript"
	}
	return h + "-" + strconv.Itoa(os.Getpid())
}

// String implements fmt.Stringer without the password.
func (o Options) String() string {
	type plain Options // no methods: no recursion
	if o.Password != "" {
		o.Password = "********"
	}
	o.Observer = nil
	o.Logger = nil
	return fmt.Sprintf("%+v", plain(o))
}

// GoString implements fmt.GoStringer (%#v) without the password.
func (o Options) GoString() string { return "fleet.Options" + o.String() }

// Format implements fmt.Formatter so that no verb shows the password.
func (o Options) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, o.GoString())
		return
	}
	fmt.Fprint(f, o.String())
}

// LogValue implements slog.LogValuer without the password.
func (o Options) LogValue() slog.Value { return slog.StringValue(o.String()) }
