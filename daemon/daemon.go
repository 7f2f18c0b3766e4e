package daemon

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/eslscript/eslscript/ops"
)

// Options are what a program adds to the configuration.
type Options struct {
	// Logger receives the daemon's logs (nil: slog.Default()). Admin
	// /loglevel and /logs act on it, and it scrubs the configuration's
	// secrets, when NewLogger made it; any other logger is used as it is.
	Logger *slog.Logger
	// Version is the program's version, shown by admin /status, the
	// eslscript_build_info metric and the traces.
	Version string
	// Registry holds the modules scripts may require (nil: the built-in
	// ones); add the program's own before Start.
	Registry *bindings.Registry
	// Observer, if set, receives the host's measurements besides the
	// daemon's metrics.
	Observer host.Observer
	// Components are the program's own parts of the daemon (a cache it
	// warms, an exporter), started in order after the admin endpoint and
	// before systemd hears that the daemon is ready.
	Components []Component
}

// A Component is a part of the daemon that starts and stops with it. Start
// calls it once the host runs and every node is connected, before any call
// is accepted; it may use the daemon's Host, Config, Logger and Metrics. It
// returns the function that stops it (nil: nothing to stop), which Shutdown
// calls after the host drained and the nodes closed, components in reverse
// order. An error fails Start (the components started so far are stopped).
type Component func(ctx context.Context, d *Daemon) (stop func(context.Context) error, err error)

// Daemon is one running host with its nodes, listeners, kv store, metrics,
// admin endpoint and components.
type Daemon struct {
	cfg     *config.Config
	log     *slog.Logger
	version string
	h       *host.Host
	metrics *ops.Metrics
	clients []*esl.Client
	addrs   map[string]net.Addr // each listener's bound address, by name
	started time.Time           // when Start began (admin /status)
	closeKV func()              // closes the kv store (Redis)
	fleet   *fleet.Fleet        // nil unless fleet.enabled

	admin    *ops.Admin    // nil without admin.address
	notifier *ops.Notifier // nil outside systemd

	stopServing context.CancelFunc // stops accepting calls and watching
	stopOnce    sync.Once
	serving     sync.WaitGroup
	failed      chan error // a listener stopped on its own
	stops       []func(context.Context) error
	closeOnce   sync.Once
	closeErr    error
}

// Start runs the daemon of cfg: it loads the scripts, binds every
// listener, connects every node (their passwords resolved: see
// config.Config.Resolve) and starts the components, then serves. On error
// everything started is stopped again; the error is a *host.LoadError when
// a script does not load, matches config.ErrInvalid when a listener names
// a script that has no session handler, and is a runtime failure else
// (esl.ErrAuthFailed or esl.ErrRejected when a node refused us).
func Start(ctx context.Context, cfg *config.Config, opts Options) (*Daemon, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	d := &Daemon{cfg: cfg, log: opts.Logger, version: opts.Version, addrs: map[string]net.Addr{},
		failed: make(chan error, len(cfg.Listeners)), started: time.Now(),
		metrics: ops.NewMetrics(ops.MetricsOptions{Version: opts.Version})}
	hopts := wiring.HostOptions(cfg, d.log, d.metrics)
	if opts.Registry != nil {
		hopts.Registry = opts.Registry
	}
	if opts.Observer != nil {
		hopts.Observer = teeObserver{d.metrics, opts.Observer}
	}
	wiring.SetMemoryLimit(hopts.Limits)
	hopts.KV, d.closeKV = wiring.OpenKV(ctx, cfg, d.log)
	d.openFleet(&hopts)
	h, err := host.New(hopts)
	if err != nil {
		d.closeKV()
		return nil, err
	}
	d.h = h
	d.startFleet(ctx)
	if err := wiring.CheckRoutes(cfg, h.Generation()); err != nil {
		_ = h.Shutdown(canceledContext())
		d.closeKV()
		return nil, err
	}
	serveCtx, stop := context.WithCancel(context.Background())
	d.stopServing = stop
	lns, err := d.bind()
	if err == nil {
		err = d.dialNodes(ctx)
	}
	if err == nil {
		err = d.startComponents(ctx, opts.Components)
	}
	if err != nil {
		closeAll(lns)
		_ = d.close(canceledContext())
		return nil, err
	}
	d.serve(serveCtx, lns)
	return d, nil
}

// Host returns the daemon's host (its scripts, nodes and calls).
func (d *Daemon) Host() *host.Host { return d.h }

// Config returns the configuration the daemon runs.
func (d *Daemon) Config() *config.Config { return d.cfg }

// Logger returns the daemon's logger.
func (d *Daemon) Logger() *slog.Logger { return d.log }

// Metrics returns the daemon's metrics (served on admin /metrics).
func (d *Daemon) Metrics() *ops.Metrics { return d.metrics }

// Addr returns the address the listener called name is bound to, or nil.
func (d *Daemon) Addr(name string) net.Addr { return d.addrs[name] }

// Failed delivers the error of a listener that stopped on its own; the
// program should then shut the daemon down.
func (d *Daemon) Failed() <-chan error { return d.failed }

// canceledContext is a context that has already ended.
func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
