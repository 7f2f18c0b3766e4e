package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"syscall"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl/esltest"
)

// Simulation settings.
const (
	simNode     = "sim"
	simListener = "sim"
	// simTimeScale makes simulated prompts and sleeps 100 times faster.
	simTimeScale = 0.01
)

// simulate runs the scripts against a built-in simulated FreeSWITCH: it
// replaces the configured nodes and listeners with one node and one
// listener on the simulator, places a call into every session script,
// fires the events the consumer scripts handle, prints a summary and
// drains. ctx ending (--duration, Ctrl-C) cuts the demo short.
func simulate(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger, dtmf string) error {
	sim, err := esltest.Start(esltest.Options{Password: randomPassword(), TimeScale: simTimeScale})
	if err != nil {
		return exitError(fmt.Errorf("eslscript: starting the simulator: %w", err), exitFailure)
	}
	defer sim.Close()
	useSimulator(cfg, sim)
	sigs, stop := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	events := newEventCounter()
	d, err := startDaemon(ctx, cfg, log, events)
	if err != nil {
		return err
	}
	log.Info("eslscript: simulating FreeSWITCH", "esl", sim.Addr(), "outbound", d.addrs[simListener].String())
	demoCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	dm := &demo{sim: sim, addr: d.addrs[simListener].String(), dtmf: dtmf, out: e.Stdout, log: log, events: events}
	demoDone := make(chan struct{})
	go func() {
		defer close(demoDone)
		defer cancel() // the demo's end stops the daemon
		dm.run(demoCtx, d.h.Generation())
	}()
	err = d.loop(demoCtx, sigs)
	cancel()
	<-demoDone // nothing is printed after run returns
	return err
}

// useSimulator points cfg at sim: one node and one outbound listener on a
// free loopback port, routing by the eslscript_script variable.
func useSimulator(cfg *config.Config, sim *esltest.Server) {
	off := false
	cfg.Nodes = []config.Node{{Name: simNode, Address: sim.Addr(), Password: config.Secret(sim.Password()), Reconnect: &off}}
	cfg.Listeners = []config.Listener{{
		Name: simListener, Address: "127.0.0.1:0", MaxCalls: config.DefaultMaxCalls,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}}
	cfg.Scripts.Watch = false
	cfg.Admin.Address = "" // the demo serves no admin endpoint
}

// randomPassword returns a fresh password for the simulator.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
