package main

import (
	"context"
	"log/slog"
	"net/netip"
	"syscall"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/daemon"
)

// Simulation settings.
const (
	simNode     = "sim"
	simListener = "sim"
)

// simulate runs the scripts against the simulated world of `eslscript
// test` (scripttest.Simulation): it points each configured node (or one
// node named sim) at a simulator of its own and replaces the listeners
// with one for the default node (the first by name), places a call into
// every session script, fires the events the consumer scripts handle,
// prints a summary and drains. ctx ending (--duration, Ctrl-C) cuts the
// demo short.
func simulate(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger, dtmf string) error {
	demoCtx, cancel := context.WithCancel(ctx) // the simulation's waits end with the demo
	defer cancel()
	sim, err := startSimulation(demoCtx, cfg)
	if err != nil {
		return err
	}
	defer sim.Close()
	useSimulators(cfg, sim)
	useSimListener(cfg)
	sigs, stop := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d, err := startDaemon(ctx, cfg, daemon.Options{Logger: log, Observer: sim.Observer()})
	if err != nil {
		return err
	}
	addr := d.Addr(simListener).String()
	log.Info("eslscript: simulating FreeSWITCH", "esl", sim.Primary().Addr(), "outbound", addr)
	if err := sim.Attach(d.Host(), addr); err != nil {
		_ = d.Shutdown(context.Background())
		return exitError(err, exitFailure)
	}
	dm := &demo{sim: sim, dtmf: dtmf, out: e.Stdout, log: log}
	demoDone := make(chan struct{})
	go func() {
		defer close(demoDone)
		defer cancel() // the demo's end stops the daemon
		dm.run(demoCtx, d.Host().Generation())
	}()
	err = loop(demoCtx, d, sigs)
	cancel()
	<-demoDone // nothing is printed after run returns
	return err
}

// useSimListener replaces the listeners with one outbound listener on a
// free loopback port, routing by the eslscript_script variable (its calls
// use the default node), without watching or an admin endpoint.
func useSimListener(cfg *config.Config) {
	cfg.Listeners = []config.Listener{{
		Name: simListener, Address: "127.0.0.1:0", MaxCalls: config.DefaultMaxCalls,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}}
	cfg.Scripts.Watch = false
	cfg.Admin.Address = "" // the demo serves no admin endpoint
}
