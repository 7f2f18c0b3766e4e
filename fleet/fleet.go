package fleet

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	"github.com/redis/go-redis/v9"
)

// Sink receives the events a Fleet hands back: withheld events of a call
// once it is owned here, and the takeover events. *host.Host implements it.
type Sink interface {
	Deliver(node string, ev *esl.Event, at time.Time)
}

// Fleet is this instance's membership of a fleet: it implements
// host.Ownership. Its methods are safe for concurrent use.
type Fleet struct {
	opts    Options
	me      string
	log     *slog.Logger
	obs     Observer
	k       keys
	c       *redis.Client
	timeout time.Duration // one Redis call
	every   time.Duration // renewal interval, Lease/3
	margin  time.Duration // fence this long before the lease lapses

	sink    Sink
	calls   callTable
	fenceAt atomic.Int64 // unix ns: past it, admit nothing of the fleet's
	leader  atomic.Bool  // the leader key named this instance at the last renewal
	beatMu  sync.Mutex   // one renewal at a time; guards the three below
	joined  bool         // the last renewal found the lease live
	recover bool         // take this instance's own calls back
	lastOK  time.Time    // start of the last successful renewal

	viewMu sync.Mutex
	view   view

	releases   chan string
	anyNode    atomic.Pointer[string]
	heldBytes  atomic.Int64 // wire size of every call's held events
	roundTrips atomic.Uint64
	events     atomic.Uint64

	stop      context.CancelFunc
	done      sync.WaitGroup
	closing   chan struct{} // closed by Close
	closeOnce sync.Once
}

// view is what the last renewal saw.
type view struct {
	now    time.Time // Redis's clock
	leader string
	live   []string // sorted by name
	dead   []member
}

// member is an instance and its lease's expiry.
type member struct {
	name    string
	expires time.Time
}

// New returns a Fleet for opts; Start makes it work.
func New(opts Options) *Fleet {
	o := opts.withDefaults()
	f := &Fleet{
		opts: o, me: o.Instance, log: o.Logger, obs: o.Observer, k: keys{o.Prefix},
		every: o.Lease / 3, margin: o.Lease / 6, timeout: o.Lease / 3,
		releases: make(chan string, 4096), closing: make(chan struct{}),
	}
	f.c = newClient(o, f.timeout)
	f.calls.init()
	return f
}

// Instance returns this instance's name.
func (f *Fleet) Instance() string { return f.me }

// Start joins the fleet (one renewal, whose failure is only logged: the
// instance stays fenced until Redis answers) and keeps renewing until
// Close. Events the fleet hands back go to sink.
func (f *Fleet) Start(ctx context.Context, sink Sink) {
	f.sink = sink
	f.beat(ctx)
	lctx, stop := context.WithCancel(context.Background())
	f.stop = stop
	f.done.Add(2)
	go f.loop(lctx)
	go f.releaser(lctx)
}

// Close leaves the fleet: this instance's lease ends at once, so the
// others take its calls over at their next renewal, and the connection
// to Redis is closed. It forgets every call and the events it held (a
// held event keeps its read chunk alive: a closed Fleet that something
// still refers to, such as its host, would keep them all). From then on
// Admit withholds every event of a call and keeps none. Later calls do
// nothing.
func (f *Fleet) Close() error {
	var err error
	f.closeOnce.Do(func() {
		close(f.closing)
		f.halt()
		ctx, cancel := f.bound(context.Background())
		err = leaveScript.Run(ctx, f.c, []string{f.k.members(), f.k.leader()}, f.me).Err()
		cancel()
		err = errors.Join(err, f.c.Close())
		f.forgetAll()
		st := f.Stats()
		f.log.Info("fleet: left", "instance", f.me, "redis_round_trips", st.RoundTrips, "events", st.Events)
	})
	return err
}

// halt stops renewing and fences this instance.
func (f *Fleet) halt() {
	if f.stop != nil {
		f.stop()
		f.done.Wait()
	}
	f.fenceAt.Store(0)
}

// Leader reports whether this instance is the leader and not fenced.
func (f *Fleet) Leader() bool {
	return f.leader.Load() && time.Now().UnixNano() < f.fenceAt.Load()
}

// fenced reports whether at is past the fence.
func (f *Fleet) fenced(at time.Time) bool { return at.UnixNano() >= f.fenceAt.Load() }

// Admit implements host.Ownership.
func (f *Fleet) Admit(node string, ev *esl.Event, name, uuid string, at time.Time) host.Admission {
	f.events.Add(1)
	if uuid == "" {
		if f.Leader() {
			return host.Admitted
		}
		return host.EveryInstanceOnly
	}
	if f.anyNode.Load() == nil {
		f.anyNode.Store(&node)
	}
	return f.admitCall(node, ev, name, uuid, at)
}

// loop renews the lease every Lease/3 until ctx ends.
func (f *Fleet) loop(ctx context.Context) {
	defer f.done.Done()
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f.beat(ctx)
		}
	}
}

// Stats are a Fleet's counters since New.
type Stats struct {
	// RoundTrips counts Redis round trips, renewals included.
	RoundTrips uint64 `json:"redis_round_trips"`
	// Events counts the events Admit was asked about.
	Events uint64 `json:"events"`
}

// Stats returns the counters.
func (f *Fleet) Stats() Stats {
	return Stats{RoundTrips: f.roundTrips.Load(), Events: f.events.Load()}
}

// Interface guard.
var _ host.Ownership = (*Fleet)(nil)
