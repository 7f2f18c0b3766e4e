package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/internal/wiring"
)

// bind opens every listener's socket.
func (d *Daemon) bind() ([]net.Listener, error) {
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
func (d *Daemon) dialNodes(ctx context.Context) error {
	for i, n := range d.cfg.Nodes {
		c, err := esl.Dial(ctx, n.Address, esl.Options{
			Password:  n.Password.Reveal(),
			User:      n.User,
			Node:      n.Name,
			Reconnect: n.Reconnects(),
			OnState:   d.onNodeState(n.Name),
			Logger:    d.log, // esl names the node in every line
			Liveness:  n.Liveness,

			EventFormat: wiring.EventFormat(n),
		})
		if err != nil {
			return fmt.Errorf("eslscript: nodes[%d] (%s at %s): %w", i, n.Name, n.Address, err)
		}
		d.clients = append(d.clients, c)
		if err := d.subscribeFleet(ctx, c); err != nil {
			return fmt.Errorf("eslscript: nodes[%d] (%s): fleet: %w", i, n.Name, err)
		}
		if err := d.h.AddNode(ctx, n.Name, c); err != nil {
			return fmt.Errorf("eslscript: nodes[%d] (%s): %w", i, n.Name, err)
		}
		d.log.Info("eslscript: connected", "node", n.Name, "address", n.Address)
	}
	return nil
}

// onNodeState is a node's esl.Options.OnState: the metrics
// (eslscript_node_up, eslscript_node_reconnects_total), the log, then the
// host (the scripts' eslscript::node_up / node_down events).
func (d *Daemon) onNodeState(node string) func(esl.StateChange) {
	return func(sc esl.StateChange) {
		d.metrics.OnState(sc)
		d.logNodeState(node, sc)
		d.h.NodeStateChanged(sc)
	}
}

// logNodeState logs the loss of a node's connection, the start of the
// reconnection (each failed attempt is esl's "esl: reconnect failed"
// line) and the reconnection. The first connection is logged by dialNodes
// ("eslscript: connected").
func (d *Daemon) logNodeState(node string, sc esl.StateChange) {
	switch sc.State {
	case esl.StateLost:
		d.log.Warn("eslscript: node connection lost", "node", node, "error", errString(sc.Err))
	case esl.StateReconnecting:
		if sc.Attempt == 1 {
			d.log.Info("eslscript: node reconnecting", "node", node)
		}
	case esl.StateConnected:
		if sc.Attempt > 0 {
			d.log.Info("eslscript: node reconnected", "node", node, "attempt", sc.Attempt)
		}
	}
}

// errString is err's text, or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// serve serves every listener and, if configured, watches the scripts.
func (d *Daemon) serve(ctx context.Context, lns []net.Listener) {
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

func (d *Daemon) serveListener(ctx context.Context, ln net.Listener, opts host.ListenerOptions) {
	defer d.serving.Done()
	err := d.h.ServeOutbound(ctx, ln, opts)
	if err != nil && !errors.Is(err, host.ErrClosed) && ctx.Err() == nil {
		d.failed <- fmt.Errorf("eslscript: listener %s: %w", opts.Name, err)
	}
}

func (d *Daemon) watch(ctx context.Context) {
	defer d.serving.Done()
	if err := d.h.Watch(ctx); err != nil {
		d.log.Error("eslscript: not watching the scripts", "error", err)
	}
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
}
