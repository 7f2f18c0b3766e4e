package scripttest

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// Simulation is the simulated world of the tests serving a host that runs
// elsewhere, such as the daemon of `eslscript run --simulate`: the same
// simulated FreeSWITCH nodes (time scale, hooks, hostnames), the same
// simulated caller and the same way of knowing when the scripts are done
// (what the host reports to Observer, a fence on the node's socket). It
// has no virtual clock: the host keeps real time.
type Simulation struct {
	w *world
}

// SimCall is a call Simulation.Call places.
type SimCall struct {
	// Script is the session script to run (the eslscript_script variable).
	Script string
	// Caller gives the call's caller id, destination and variables.
	Caller esltest.CallOptions
	// Digits are pressed by the caller at every application that reads
	// digits (play_and_get_digits, read).
	Digits string
	// Timeout, if set, is how long the caller stays before hanging up.
	Timeout time.Duration
}

// NewSimulation starts a simulated FreeSWITCH per node name (one named
// "sim" when there is none), its hostname the name. ctx bounds every wait
// of the simulation; Close frees it.
func NewSimulation(ctx context.Context, nodes []string) (*Simulation, error) {
	w := &world{ctx: ctx, cfg: worldConfig{nodes: nodes}, clock: NewClock(virtualEpoch), logs: &logSink{},
		obs: newObserver(), apiLua: map[string]bool{}}
	if err := w.startSims(); err != nil {
		w.close()
		return nil, err
	}
	return &Simulation{w: w}, nil
}

// Node returns the simulator of the node called name, or nil.
func (s *Simulation) Node(name string) *esltest.Server {
	if name == s.w.node {
		return s.w.sim
	}
	for _, n := range s.w.others {
		if n.name == name {
			return n.sim
		}
	}
	return nil
}

// Primary returns the simulator of the default node (the first name in
// order), where Call places calls and Fire fires events.
func (s *Simulation) Primary() *esltest.Server { return s.w.sim }

// Observer is the observer the host must report to (host.Options.Observer,
// daemon.Options.Observer): Call and Fire wait for the handlers it
// reports.
func (s *Simulation) Observer() host.Observer { return s.w.obs }

// Attach makes h the host served, with its outbound listener at
// outbound; call it once h is connected to every node.
func (s *Simulation) Attach(h *host.Host, outbound string) error {
	w := s.w
	c, err := esl.Dial(w.ctx, w.sim.Addr(), esl.Options{Password: w.sim.Password(), Node: w.node})
	if err != nil {
		return fmt.Errorf("scripttest: connecting to the simulator: %w", err)
	}
	w.client, w.mon = c, c.Subscribe(esl.SubscribeOptions{})
	if err := c.Events(w.ctx, "ALL"); err != nil {
		return fmt.Errorf("scripttest: subscribing to the simulator: %w", err)
	}
	w.h, w.gen, w.out = h, h.Generation(), outbound
	w.keys = eventKeys(w.gen)
	return nil
}

// Call places a call into the host's outbound listener and returns it
// once its script finished, the call ended and the event handlers caught
// up with its events.
func (s *Simulation) Call(c SimCall) (*esltest.Call, error) {
	sc := s.w.newCall(callSpec{script: c.Script, caller: c.Caller.CallerIDNumber, callerName: c.Caller.CallerIDName,
		destination: c.Caller.Destination, vars: c.Caller.Variables})
	s.w.hooks.update(sc.call.UUID(), func(ch *callHooks) { ch.everyPrompt = c.Digits })
	if c.Timeout > 0 {
		t := time.AfterFunc(c.Timeout, func() { sc.call.Hangup("NORMAL_CLEARING") })
		defer t.Stop()
	}
	return sc.call, sc.run()
}

// Fire fires the event name (a CUSTOM event when name is a subclass such
// as "demo::ping") with headers on the default node, and waits until the
// host ran its handlers.
func (s *Simulation) Fire(name string, headers map[string]string) error {
	hs := make([][2]string, 0, len(headers))
	for k, v := range headers {
		hs = append(hs, [2]string{k, v})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i][0] < hs[j][0] })
	_, _, err := s.w.fire(s.w.newEvent(name, hs, ""))
	return err
}

// Settle waits until the host ran the handlers of every event so far,
// then until it and the simulators have been idle for a moment (as
// sim.settle() does in a test): what a handler started in the background,
// such as a bgapi job and its callback, is done.
func (s *Simulation) Settle() error {
	if err := s.w.catchUp(waitOnly); err != nil {
		return err
	}
	return s.w.settle()
}

// Close closes the simulation's connection and simulators (the host is
// its owner's to stop).
func (s *Simulation) Close() {
	s.w.h = nil
	s.w.close()
}
