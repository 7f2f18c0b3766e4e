package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"sync"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/ops"
)

func init() { registerService(adminService) }

// daemonMetrics holds the metrics made by newDaemonMetrics, by the
// configuration of the daemon they belong to, so that the admin service
// and the node hooks find them.
var daemonMetrics sync.Map // *config.Config -> *ops.Metrics

// newDaemonMetrics returns the metrics of the daemon that runs cfg; pass
// it as startDaemon's observer.
func newDaemonMetrics(cfg *config.Config) *ops.Metrics {
	m := ops.NewMetrics(ops.MetricsOptions{Version: version})
	daemonMetrics.Store(cfg, m)
	return m
}

// metricsOf returns the metrics of cfg's daemon, or nil.
func metricsOf(cfg *config.Config) *ops.Metrics {
	m, _ := daemonMetrics.Load(cfg)
	mm, _ := m.(*ops.Metrics)
	return mm
}

// withNodeMetrics chains the node state hook next with the metrics of
// cfg's daemon (eslscript_node_up, eslscript_node_reconnects_total).
func withNodeMetrics(cfg *config.Config, next func(esl.StateChange)) func(esl.StateChange) {
	m := metricsOf(cfg)
	if m == nil {
		return next
	}
	return func(sc esl.StateChange) {
		m.OnState(sc)
		next(sc)
	}
}

// admins holds the running admin endpoints, by daemon.
var admins sync.Map // *daemon -> *ops.Admin

// markDraining makes d's /readyz fail: call it when the drain begins.
func markDraining(d *daemon) {
	if a, ok := admins.Load(d); ok {
		a.(*ops.Admin).SetDraining()
	}
}

// adminReload reloads d's scripts through its admin endpoint when there is
// one (so that /status shows the outcome), else directly.
func adminReload(d *daemon) error {
	if a, ok := admins.Load(d); ok {
		return a.(*ops.Admin).Reload()
	}
	return d.h.Reload()
}

// adminService serves the admin endpoint (when admin.address is set) and
// turns tracing on (when the OTEL_* environment asks for it).
func adminService(ctx context.Context, d *daemon) (func(context.Context) error, error) {
	stopTracing, err := ops.SetupTracing(ctx, os.LookupEnv, version)
	if err != nil {
		return nil, err
	}
	red := setSecrets(d.log, d.cfg)
	if d.cfg.Admin.Address == "" {
		return stopTracing, nil
	}
	ln, err := net.Listen("tcp", d.cfg.Admin.Address)
	if err != nil {
		_ = stopTracing(ctx)
		return nil, fmt.Errorf("eslscript: admin.address: %w", err)
	}
	a := newAdmin(d, red)
	admins.Store(d, a)
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(sctx, ln) }()
	d.log.Info("eslscript: admin endpoint listening", "address", ln.Addr().String())
	return func(ctx context.Context) error {
		cancel()
		admins.Delete(d)
		daemonMetrics.Delete(d.cfg)
		err := <-done
		if terr := stopTracing(ctx); err == nil {
			err = terr
		}
		return err
	}, nil
}

// newAdmin builds d's admin endpoint.
func newAdmin(d *daemon, red ops.Redactor) *ops.Admin {
	m := metricsOf(d.cfg)
	if m != nil {
		m.SetGeneration(d.h.Status().Generation)
		m.WatchLuaStates(ops.HostLuaStates(d.h))
	}
	lv, _ := runtimeParts(d.log)
	return ops.NewAdmin(ops.AdminOptions{
		Source: d.h, Metrics: m, Level: lv, Allow: d.cfg.Admin.Prefixes,
		Hosts: d.cfg.Admin.Hosts, Token: d.cfg.Admin.Token.Reveal(),
		Redactor: red, Logger: d.log, Checks: readinessChecks(d), Logs: logTailOf(d.log),
		KV: d.h.KV(), Version: version, Started: d.started, Listeners: func() []ops.ListenerBody { return listenerBodies(d) },
	})
}

// listenerBodies describes d's listeners for /status.
func listenerBodies(d *daemon) []ops.ListenerBody {
	out := make([]ops.ListenerBody, 0, len(d.cfg.Listeners))
	for _, l := range d.cfg.Listeners {
		b := ops.ListenerBody{Name: l.Name, Address: l.Address, Script: l.Script, MaxCalls: l.MaxCalls}
		if a := d.addrs[l.Name]; a != nil {
			b.Address, b.Bound = a.String(), true
		}
		out = append(out, b)
	}
	return out
}

// readinessChecks are /readyz's checks: scripts loaded, every configured
// node connected, every listener bound.
func readinessChecks(d *daemon) []ops.Check {
	checks := []ops.Check{ops.ScriptsLoaded(d.h)}
	names := make([]string, len(d.cfg.Nodes))
	for i, n := range d.cfg.Nodes {
		names[i] = n.Name
	}
	checks = append(checks, ops.NodeChecks(d.h, names...)...)
	for _, l := range d.cfg.Listeners {
		checks = append(checks, ops.ListenerCheck(l.Name, func() bool { return d.addrs[l.Name] != nil }))
	}
	return checks
}

var _ host.Observer = (*ops.Metrics)(nil)
