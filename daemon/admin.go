package daemon

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/eslscript/eslscript/ops"
)

// adminComponent serves the admin endpoint (when admin.address is set)
// and turns tracing on (when the OTEL_* environment asks for it).
func adminComponent(ctx context.Context, d *Daemon) (func(context.Context) error, error) {
	stopTracing, err := ops.SetupTracing(ctx, os.LookupEnv, d.version)
	if err != nil {
		return nil, err
	}
	red := wiring.Scrub(d.log, d.cfg)
	if d.cfg.Admin.Address == "" {
		return stopTracing, nil
	}
	ln, err := net.Listen("tcp", d.cfg.Admin.Address)
	if err != nil {
		_ = stopTracing(ctx)
		return nil, fmt.Errorf("eslscript: admin.address: %w", err)
	}
	d.admin = d.newAdmin(red)
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.admin.Serve(sctx, ln) }()
	d.log.Info("eslscript: admin endpoint listening", "address", ln.Addr().String())
	return func(ctx context.Context) error {
		cancel()
		err := <-done
		if terr := stopTracing(ctx); err == nil {
			err = terr
		}
		return err
	}, nil
}

// newAdmin builds the daemon's admin endpoint.
func (d *Daemon) newAdmin(red ops.Redactor) *ops.Admin {
	d.metrics.SetGeneration(d.h.Status().Generation)
	d.metrics.WatchLuaStates(ops.HostLuaStates(d.h))
	return ops.NewAdmin(ops.AdminOptions{
		Source: d.h, Metrics: d.metrics, Level: wiring.Level(d.log), Allow: d.cfg.Admin.Prefixes,
		Hosts: d.cfg.Admin.Hosts, Token: d.cfg.Admin.Token.Reveal(),
		Redactor: red, Logger: d.log, Checks: d.readinessChecks(), Logs: wiring.Tail(d.log),
		KV: d.h.KV(), Version: d.version, Started: d.started, Listeners: d.listenerBodies,
		Fleet: d.fleetStatus(),
	})
}

// listenerBodies describes the listeners for /status.
func (d *Daemon) listenerBodies() []ops.ListenerBody {
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
func (d *Daemon) readinessChecks() []ops.Check {
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
