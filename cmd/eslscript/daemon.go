package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/ops"
)

// daemon is one running host with its nodes and listeners.
type daemon struct {
	cfg     *config.Config
	log     *slog.Logger
	h       *host.Host
	clients []*esl.Client
	// addrs holds each listener's bound address, by listener name.
	addrs map[string]net.Addr

	stopServing context.CancelFunc // stops accepting calls and watching
	stopOnce    sync.Once
	serving     sync.WaitGroup
	failed      chan error                    // a listener stopped on its own
	started     time.Time                     // when startDaemon began (admin /status)
	closeKV     func()                        // closes the kv store (Redis)
	stops       []func(context.Context) error // registered services, started
}

// startDaemon loads the scripts, binds every listener, connects every node
// and starts serving. On error everything started is stopped again.
// obs, if not nil, receives the host's measurements.
func startDaemon(ctx context.Context, cfg *config.Config, log *slog.Logger, obs host.Observer) (*daemon, error) {
	opts := hostOptions(cfg, log, obs)
	setRuntimeMemoryLimit(opts.Limits)
	var closeKV func()
	opts.KV, closeKV = openKV(ctx, cfg, opts.Logger)
	h, err := host.New(opts)
	if err != nil {
		closeKV()
		return nil, exitError(err, exitScripts)
	}
	if err := checkRoutes(cfg, h.Generation()); err != nil {
		_ = h.Shutdown(canceledContext())
		closeKV()
		return nil, err
	}
	d := &daemon{cfg: cfg, log: log, h: h, addrs: map[string]net.Addr{}, failed: make(chan error, len(cfg.Listeners)),
		started: time.Now()}
	d.closeKV = closeKV
	serveCtx, stop := context.WithCancel(context.Background())
	d.stopServing = stop
	lns, err := d.bind()
	if err == nil {
		err = d.dialNodes(ctx)
	}
	if err == nil {
		err = d.startServices(ctx)
	}
	if err != nil {
		closeAll(lns)
		_ = d.close(canceledContext())
		return nil, exitError(err, runtimeCode(err))
	}
	d.start(serveCtx, lns)
	return d, nil
}

// hostOptions maps the configuration to the host's options.
// Scripts' commands are timed into obs when it is an *ops.Metrics, and
// traced (spans only exist once SetupTracing installed a provider).
func hostOptions(cfg *config.Config, log *slog.Logger, obs host.Observer) host.Options {
	metrics, _ := obs.(*ops.Metrics)
	tracer := ops.NewTracer(nil)
	return host.Options{
		ScriptsDir:    cfg.Scripts.Dir,
		Registry:      bindings.NewRegistry(),
		Sandbox:       scriptsSandbox(cfg.Scripts),
		Logger:        scrubbing(log, cfg),
		HandlerBudget: cfg.Scripts.HandlerBudget,
		SessionBudget: cfg.Scripts.SessionBudget,
		Limits:        scriptLimits(cfg.Scripts),
		ScriptQueue:   cfg.Scripts.QueueLimit,
		DrainCause:    cfg.Drain.Cause,
		Observer:      obs,
		SessionTracer: tracer,
		WrapCommander: func(node string, c bindings.Commander) bindings.Commander {
			return ops.Commander(node, c, metrics, tracer)
		},
		ScriptQueueBytes: int64(cfg.Scripts.QueueBytes),
	}
}

// scriptsSandbox maps scripts.sandbox (the default policy) and
// scripts.sandbox_dirs (per subdirectory) to the host's policy.
func scriptsSandbox(s config.Scripts) host.Sandbox {
	sb := sandbox(s.Sandbox)
	if len(s.SandboxDirs) > 0 {
		sb.Dirs = make(map[string]host.Sandbox, len(s.SandboxDirs))
	}
	for dir, p := range s.SandboxDirs {
		sb.Dirs[dir] = sandbox(p)
	}
	return sb
}

// bind opens every listener's socket.
func (d *daemon) bind() ([]net.Listener, error) {
	lns := make([]net.Listener, 0, len(d.cfg.Listeners))
	for i, l := range d.cfg.Listeners {
		ln, err := net.Listen("tcp", l.Address)
		if err != nil {
			closeAll(lns)
			return nil, fmt.Errorf("eslscript: listeners[%d] (%s): %w", i, l.Name, err)
		}
		d.addrs[l.Name] = ln.Addr()
		lns = append(lns, ln)
	}
	return lns, nil
}

// dialNodes connects to every node and hands its events to the host.
func (d *daemon) dialNodes(ctx context.Context) error {
	for i, n := range d.cfg.Nodes {
		c, err := esl.Dial(ctx, n.Address, esl.Options{
			Password:  n.Password.Reveal(),
			User:      n.User,
			Node:      n.Name,
			Reconnect: n.Reconnects(),
			OnState:   withNodeMetrics(d.cfg, notifyHost(d.h, logNodeState(d.log, n.Name))),
			Logger:    d.log, // esl names the node in every line
			Liveness:  n.Liveness,

			EventFormat: eventFormat(n),
		})
		if err != nil {
			return fmt.Errorf("eslscript: nodes[%d] (%s at %s): %w", i, n.Name, n.Address, err)
		}
		d.clients = append(d.clients, c)
		if err := d.h.AddNode(ctx, n.Name, c); err != nil {
			return fmt.Errorf("eslscript: nodes[%d] (%s): %w", i, n.Name, err)
		}
		d.log.Info("eslscript: connected", "node", n.Name, "address", n.Address)
	}
	return nil
}

// start serves every listener and, if configured, watches the scripts.
func (d *daemon) start(ctx context.Context, lns []net.Listener) {
	for i, ln := range lns {
		l := d.cfg.Listeners[i]
		opts := host.ListenerOptions{Name: l.Name, Script: l.Script, MaxCalls: l.MaxCalls, Allow: l.Prefixes}
		d.serving.Add(1)
		go d.serveListener(ctx, ln, opts)
		d.log.Info("eslscript: listening", "listener", l.Name, "address", ln.Addr().String(), "script", l.Script)
	}
	if d.cfg.Scripts.Watch {
		d.serving.Add(1)
		go d.watch(ctx)
	}
}

func (d *daemon) serveListener(ctx context.Context, ln net.Listener, opts host.ListenerOptions) {
	defer d.serving.Done()
	err := d.h.ServeOutbound(ctx, ln, opts)
	if err != nil && !errors.Is(err, host.ErrClosed) && ctx.Err() == nil {
		d.failed <- fmt.Errorf("eslscript: listener %s: %w", opts.Name, err)
	}
}

func (d *daemon) watch(ctx context.Context) {
	defer d.serving.Done()
	if err := d.h.Watch(ctx); err != nil {
		d.log.Error("eslscript: not watching the scripts", "error", err)
	}
}

// reload reloads the scripts (the host logs the outcome).
func (d *daemon) reload() {
	d.log.Info("eslscript: reloading scripts")
	sdNotify(d, ops.Reloading())
	_ = adminReload(d)
	sdNotify(d, "READY=1\nSTATUS=serving")
}

// close stops accepting, lets the host drain until ctx ends, then closes
// the node connections.
func (d *daemon) close(ctx context.Context) error {
	d.stopAccepting()
	err := d.h.Shutdown(ctx)
	d.closeKV()
	for _, c := range d.clients {
		c.Close()
	}
	d.stopServices(ctx)
	return err
}

// stopAccepting marks the daemon draining and closes every listener (and
// the script watcher); once it returns no new call is accepted. Only the
// first call acts.
func (d *daemon) stopAccepting() {
	d.stopOnce.Do(func() {
		markDraining(d)
		sdNotify(d, "STOPPING=1\nSTATUS=draining")
		d.stopServing()
		d.serving.Wait()
	})
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
}

// canceledContext is a context that has already ended.
func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
