package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	// simTimeScale makes simulated prompts and sleeps 100 times faster.
	simTimeScale = 0.01
)

// simulate runs the scripts against built-in simulated FreeSWITCHes: it
// points each configured node (or one node named sim) at a simulator of
// its own and replaces the listeners with one for the default node (the
// first by name), places a call into every session script,
// fires the events the consumer scripts handle, prints a summary and
// drains. ctx ending (--duration, Ctrl-C) cuts the demo short.
func simulate(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger, dtmf string) error {
	sn, err := startSimNodes(cfg)
	if err != nil {
		return err
	}
	defer sn.close()
	useSimulators(cfg, sn)
	sim := sn.primary()
	sigs, stop := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	events := newEventCounter()
	d, err := startDaemon(ctx, cfg, daemon.Options{Logger: log, Observer: events})
	if err != nil {
		return err
	}
	log.Info("eslscript: simulating FreeSWITCH", "esl", sim.Addr(), "outbound", d.Addr(simListener).String())
	demoCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	dm := &demo{sim: sim, addr: d.Addr(simListener).String(), dtmf: dtmf, out: e.Stdout, log: log, events: events}
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

// randomPassword returns a fresh password for the simulator.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
