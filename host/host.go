package host

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// Host runs the scripts of one directory against FreeSWITCH: it dispatches
// the events of its nodes (inbound clients) to consumer handlers, serves
// outbound calls, runs init functions and timers, and swaps script
// generations on Reload without touching any socket. Its methods are safe
// for concurrent use.
type Host struct {
	opts     Options
	log      *slog.Logger
	obs      Observer
	reloader *reloader

	cur atomic.Pointer[genView] // what new events and calls get (set by activate)

	disp   *dispatcher
	squeue scriptQueues    // events waiting per script (Options.ScriptQueue, ScriptQueueBytes)
	life   context.Context // ends when Shutdown gives up: stops every Lua call
	kill   context.CancelFunc

	nodesMu     sync.RWMutex
	nodes       map[string]*node
	cmds        atomic.Pointer[commanderMap] // wrapped clients of nodes, by name
	nodesClosed bool                         // Shutdown began: no new nodes
	readers     sync.WaitGroup               // one per node

	timersMu  sync.Mutex
	timers    *timerSet
	timersOff bool // Shutdown stopped the timers for good

	out outbound

	stopSweep func() // stops the default kv's expiry sweeper (nil: none)

	dropped  atomic.Uint64 // events dropped, for rate-limited logging
	closed   atomic.Bool   // Shutdown began
	shutOnce sync.Once
}

// New loads the scripts of opts.ScriptsDir as the first generation (it
// fails with the *LoadError when a script is broken), runs their init
// functions and starts the event workers and timers.
func New(opts Options) (*Host, error) {
	if opts.Registry == nil {
		opts.Registry = bindings.NewRegistry()
	}
	var stopSweep func()
	if opts.KV == nil {
		kv := bindings.NewMemoryKV(opts.Clock)
		stopSweep = kv.StartSweeper(kvSweepEvery) // keys nobody reads again still expire
		opts.KV = kv
	}
	h := newHost(opts)
	h.stopSweep = stopSweep
	h.reloader.onSwap = h.onSwap
	g, _, err := h.reloader.reload()
	if err != nil {
		h.stopCore()
		return nil, err
	}
	h.log.Info("host: scripts loaded", "generation", g.ID, "scripts", len(g.Scripts()))
	h.logWarnings(g)
	return h, nil
}

// newHost builds a host with its workers running and no generation yet.
func newHost(opts Options) *Host {
	opts = opts.withDefaults()
	h := &Host{
		opts:     opts,
		log:      opts.Logger,
		obs:      opts.Observer,
		reloader: newReloader(&Loader{Dir: opts.ScriptsDir, Registry: opts.Registry, Sandbox: opts.Sandbox, Limits: opts.Limits, freshStates: opts.StatePerCall}),
		nodes:    make(map[string]*node),
	}
	h.life, h.kill = context.WithCancel(context.Background())
	h.out.init()
	h.squeue.limit, h.squeue.byteLimit = int64(opts.ScriptQueue), opts.ScriptQueueBytes
	h.disp = newDispatcher(h, opts.Workers, opts.QueueSize)
	return h
}

// Reload builds a new generation from the scripts directory and, if it
// loads, runs its init functions and makes it current: new events and new
// calls get it, live calls keep theirs. A broken script leaves the running
// generation in place and returns the *LoadError. Unchanged content is a
// no-op (nil). After Shutdown it returns ErrClosed.
func (h *Host) Reload() error {
	if h.closed.Load() {
		return ErrClosed
	}
	g, changed, err := h.reloader.reload()
	switch {
	case err != nil:
		h.log.Error("host: reload failed, keeping the running scripts", "generation", g.ID, "error", err)
		h.obs.Reload(false, g.ID)
		return err
	case changed:
		h.log.Info("host: scripts reloaded", "generation", g.ID, "scripts", len(g.Scripts()))
		h.logWarnings(g)
		h.obs.Reload(true, g.ID)
	}
	return nil
}

// Watch reloads whenever a file under the scripts directory changes, until
// ctx ends. A save that breaks a script is logged and the running
// generation kept; watching goes on. Once the watch is in place it reloads
// once, so a save made while it was starting is not missed (unchanged
// content makes that a no-op).
func (h *Host) Watch(ctx context.Context) error {
	reload := func() { _ = h.Reload() }
	return watch(ctx, h.opts.ScriptsDir, h.opts.WatchDebounce, reload, reload)
}

// onSwap is the reloader's swap hook, called under its lock (one swap at
// a time): it activates the new generation (the reloader retires the old
// one).
func (h *Host) onSwap(_, g *Generation) {
	h.activate(viewOf(g))
}

// activate runs g's init functions, publishes g to new events and calls,
// subscribes the nodes to any new event names and replaces the timers.
func (h *Host) activate(g *genView) {
	h.runInits(g)
	h.cur.Store(g)
	h.disp.broadcast(g)
	h.subscribeAll(g)
	h.replaceTimers(g)
}

// Generation returns the current generation.
func (h *Host) Generation() *Generation { return h.cur.Load().gen }

// Shutdown stops the host. New outbound calls are refused at once; live
// calls may run until ctx ends, after which they are hung up with
// Options.DrainCause and their scripts get HandlerBudget to clean up. Then
// the node readers stop, the workers handle what is already queued (what
// is left when ctx ends is dropped), timers stop and every Lua state is
// closed. The nodes' clients stay open: they belong to the caller. It
// returns ctx.Err() when calls had to be hung up or events dropped.
func (h *Host) Shutdown(ctx context.Context) error {
	err := ErrClosed
	h.shutOnce.Do(func() { err = h.shutdown(ctx) })
	return err
}

func (h *Host) shutdown(ctx context.Context) error {
	h.closed.Store(true)
	graceful, drained := h.drainOutbound(ctx, h.opts.DrainCause, h.opts.HandlerBudget)
	h.stopNodes()
	h.stopTimers()
	queueEmptied := h.stopWorkers(ctx)
	h.kill() // stops the Lua of calls that outlived their grace
	if h.stopSweep != nil {
		h.stopSweep()
	}
	if !drained {
		bctx, cancel := context.WithTimeout(context.Background(), hangupTimeout)
		waitServers(bctx, h.out.beginClose())
		cancel()
	}
	if g := h.cur.Load(); g != nil && g.gen != nil {
		g.gen.retire(nil)
	}
	h.log.Info("host: stopped", "calls_drained", graceful, "events_drained", queueEmptied)
	if !graceful || !queueEmptied {
		return ctx.Err()
	}
	return nil
}

// stopWorkers lets the workers empty their queues until ctx ends (the rest
// is dropped) and waits for them; true when nothing was dropped.
func (h *Host) stopWorkers(ctx context.Context) bool {
	done := make(chan struct{})
	go func() {
		h.disp.stop()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		h.kill()
		<-done
		return false
	}
}

// stopCore stops a host that never started (New failed).
func (h *Host) stopCore() {
	h.kill()
	h.disp.stop()
	if h.stopSweep != nil {
		h.stopSweep()
	}
}

// kvSweepEvery is how often the default in-memory kv drops expired keys
// (a variable so that a test can shorten it).
var kvSweepEvery = time.Minute
