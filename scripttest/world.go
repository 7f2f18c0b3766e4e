package scripttest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// Names the test world gives its simulated FreeSWITCH.
const (
	fenceCmd = "eslscript_test_fence"
	// simTimeScale makes the simulator's own durations (sleep, prompt and
	// digit timeouts) 250 times shorter than simulated: short, yet long
	// enough for digits re-injected by the session binding to arrive
	// before a play_and_get_digits timeout.
	simTimeScale = 0.004
	// teardownWait bounds the host's drain at the end of a test.
	teardownWait = 100 * time.Millisecond
)

// worldConfig is what every world of a run shares.
type worldConfig struct {
	root          string
	registry      *bindings.Registry
	sandbox       host.Sandbox
	handlerBudget time.Duration
	sessionBudget time.Duration
	nodes         []string // Options.Nodes
}

// world is the environment of one test: a fresh simulator, a fresh host
// (and so a fresh generation) on the scripts directory, an in-memory kv,
// a virtual clock and captured logs. Everything is torn down after the
// test.
type world struct {
	ctx    context.Context
	cfg    worldConfig
	clock  *Clock
	kv     *bindings.MemoryKV
	logs   *logSink
	obs    *observer
	sim    *esltest.Server // the primary node's (see nodeNames)
	node   string          // the primary node's name
	others []*otherNode    // the other nodes
	hooks  *appHooks
	cmds   inflight // the scripts' commands in flight
	client *esl.Client
	mon    *esl.Subscription
	h      *host.Host
	gen    *host.Generation
	out    string // outbound listener address
	served chan struct{}

	keys     map[string]bool // event keys the scripts handle
	expected int             // event handler runs the host owes
	reqs     chan request    // work for the test goroutine
	calls    []*simCall
	apiLua   map[string]bool // api commands answered by Lua functions
	mods     *modStubs       // stub.module and spy.module
}

// request is a function another goroutine needs run on the test
// goroutine (which owns the test's Lua state).
type request struct {
	fn   func()
	done chan struct{}
}

// newWorld builds a world; ctx is the test's budget and ends its life.
func newWorld(ctx context.Context, cfg worldConfig) (w *world, err error) {
	w = &world{ctx: ctx, cfg: cfg, clock: NewClock(virtualEpoch), logs: &logSink{}, obs: newObserver(),
		reqs: make(chan request), apiLua: map[string]bool{}}
	w.kv = bindings.NewMemoryKV(w.clock)
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	if err = w.startSims(); err != nil {
		return w, err
	}
	if err = w.startHost(); err != nil {
		return w, err
	}
	return w, w.waitTimersArmed()
}

// startHost starts the host on the scripts directory, adds the simulator
// as its node and serves outbound calls on a loopback port.
func (w *world) startHost() error {
	w.mods = newModStubs(w.cfg.registry)
	h, err := host.New(host.Options{
		ScriptsDir: w.cfg.root, Registry: wrapRegistry(w.cfg.registry, w.mods), Sandbox: w.cfg.sandbox,
		Logger: w.logs.logger(), HandlerBudget: w.cfg.handlerBudget, SessionBudget: w.cfg.sessionBudget,
		Workers: 1, KV: w.kv, Clock: w.clock, Observer: w.obs, WrapCommander: w.cmds.wrap,
		StatePerCall: true, // top-level locals are per state in production too
	})
	if err != nil {
		return err
	}
	w.h, w.gen = h, h.Generation()
	w.keys = eventKeys(w.gen)
	if err := w.addNode(); err != nil {
		return err
	}
	if err := w.connectOthers(); err != nil {
		return err
	}
	return w.serveOutbound()
}

// addNode connects the host to the simulator's inbound socket, then adds
// the runner's own subscription (after the host's, so it sees exactly the
// events the host got).
func (w *world) addNode() error {
	c, err := esl.Dial(w.ctx, w.sim.Addr(), esl.Options{Password: w.sim.Password(), Node: w.node})
	if err != nil {
		return fmt.Errorf("scripttest: connecting to the simulator: %w", err)
	}
	w.client = c
	if err := w.h.AddNode(w.ctx, w.node, c); err != nil {
		return err
	}
	w.mon = c.Subscribe(esl.SubscribeOptions{})
	return nil
}

// serveOutbound listens for the simulator's outbound connections.
func (w *world) serveOutbound() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("scripttest: outbound listener: %w", err)
	}
	w.out = l.Addr().String()
	w.served = make(chan struct{})
	go func() {
		defer close(w.served)
		_ = w.h.ServeOutbound(context.Background(), l, host.ListenerOptions{Name: w.node, Node: w.node})
	}()
	return nil
}

// waitTimersArmed waits until every script's timer goroutine is waiting on
// the virtual clock, so that advancing time fires them.
func (w *world) waitTimersArmed() error {
	n := 0
	for _, s := range w.gen.Scripts() {
		if len(s.Timers) > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for w.clock.Pending() < n {
		select {
		case <-w.ctx.Done():
			return errors.New("scripttest: the scripts' timers did not start")
		case <-tick.C:
		}
	}
	return nil
}

// close tears the world down: calls are hung up, the host stops (which
// stops any runaway Lua), then the connections and the simulator close.
func (w *world) close() {
	if w.h != nil {
		ctx, cancel := context.WithTimeout(context.Background(), teardownWait)
		_ = w.h.Shutdown(ctx)
		cancel()
	}
	if w.client != nil {
		w.client.Close()
	}
	if w.sim != nil {
		w.sim.Close()
	}
	w.closeOtherNodes()
	if w.served != nil {
		<-w.served
	}
}

// onTestGoroutine runs fn on the test goroutine (while it waits for the
// scripts) and reports whether it ran before the test ended.
func (w *world) onTestGoroutine(fn func()) bool {
	r := request{fn: fn, done: make(chan struct{})}
	select {
	case w.reqs <- r:
	case <-w.ctx.Done():
		return false
	}
	select {
	case <-r.done:
		return true
	case <-w.ctx.Done():
		return false
	}
}

// eventKeys returns every event key the scripts of g handle.
func eventKeys(g *host.Generation) map[string]bool {
	keys := map[string]bool{}
	for _, s := range g.Scripts() {
		for _, k := range s.Events {
			keys[k] = true
		}
	}
	return keys
}
