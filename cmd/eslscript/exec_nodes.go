package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/internal/wiring"
)

// execNodes resolves the node passwords, connects to every configured
// node, runs the file and closes the connections.
func execNodes(ctx context.Context, e *env, cfg *config.Config, opts host.RunFileOptions) error {
	if err := resolveSecrets(e, cfg); err != nil {
		return err
	}
	log := wiring.NewLogger(e.Stderr, cfg.Log)
	wiring.Scrub(log, cfg)
	if len(cfg.Nodes) == 0 {
		log.Warn("eslscript: exec: no nodes configured: esl calls will fail")
	}
	clients, err := dialExecNodes(ctx, cfg, log)
	defer closeClients(clients)
	if err != nil {
		return exitError(err, runtimeCode(err))
	}
	opts.Logger, opts.Nodes = log, commanders(clients)
	kv, closeKV := wiring.OpenKV(ctx, cfg, log)
	defer closeKV()
	opts.KV = kv
	code, err := host.RunFile(ctx, opts)
	logTraceback(log, err)
	return execResult(code, err)
}

// logTraceback logs a script error's Lua stack at debug level.
func logTraceback(log *slog.Logger, err error) {
	var re *host.RunError
	if errors.As(err, &re) && re.Traceback != "" {
		log.Debug("eslscript: exec: script stack", "traceback", re.Traceback)
	}
}

// dialExecNodes connects to every node. A lost node is reconnected (its
// event subscriptions replayed), so that a long-running service (an
// EventConsumer loop) hears the node again after a FreeSWITCH restart;
// a one-shot run still fails rather than waits, since commands sent
// while the node is away fail at once. It returns the clients connected
// so far even on error (the caller closes them).
func dialExecNodes(ctx context.Context, cfg *config.Config, log *slog.Logger) (map[string]*esl.Client, error) {
	clients := make(map[string]*esl.Client, len(cfg.Nodes))
	for i, n := range cfg.Nodes {
		c, err := esl.Dial(ctx, n.Address, esl.Options{
			Password:  n.Password.Reveal(),
			User:      n.User,
			Node:      n.Name,
			Logger:    log, // esl names the node in every line
			Liveness:  n.Liveness,
			Reconnect: true,

			EventFormat: wiring.EventFormat(n),
		})
		if err != nil {
			return clients, fmt.Errorf("eslscript: nodes[%d] (%s at %s): %w", i, n.Name, n.Address, err)
		}
		clients[n.Name] = c
		log.Debug("eslscript: connected", "node", n.Name, "address", n.Address)
	}
	return clients, nil
}

// commanders views the clients as the esl module's commanders.
func commanders(clients map[string]*esl.Client) map[string]bindings.Commander {
	m := make(map[string]bindings.Commander, len(clients))
	for name, c := range clients {
		m[name] = c
	}
	return m
}

func closeClients(clients map[string]*esl.Client) {
	for _, c := range clients {
		_ = c.Close()
	}
}

// execSimulated runs the file against built-in simulators, one per
// configured node and named like it, that give the --reply replies, then
// prints the commands the script sent (api, bgapi, sendmsg, sendevent).
func execSimulated(ctx context.Context, e *env, cfg *config.Config, opts host.RunFileOptions, replySpecs []string) error {
	replies, err := parseReplies(replySpecs)
	if err != nil {
		return err
	}
	sim, err := startSimulation(ctx, cfg)
	if err != nil {
		return err
	}
	defer sim.Close()
	names := simNodeNames(cfg)
	for _, name := range names {
		useReplies(sim.Node(name), replies)
	}
	useSimulators(cfg, sim)
	err = execNodes(ctx, e, cfg, opts)
	printSimCommands(e.Stdout, names, sim)
	return err
}

// sentCommands are the commands --simulate reports.
var sentCommands = map[string]bool{"api": true, "bgapi": true, "sendmsg": true, "sendevent": true}

// printCommands writes each reported command: its line, then its headers
// and body indented.
func printCommands(w io.Writer, cmds []esltest.Command) {
	var b strings.Builder
	b.WriteString("commands sent:\n")
	n := 0
	for _, c := range cmds {
		if !sentCommands[c.Name()] {
			continue
		}
		n++
		writeCommand(&b, c)
	}
	if n == 0 {
		b.WriteString("  (none)\n")
	}
	_, _ = io.WriteString(w, b.String())
}

// writeCommand writes one command: "  api status", headers and body
// lines indented below it.
func writeCommand(b *strings.Builder, c esltest.Command) {
	fmt.Fprintf(b, "  %s\n", c.Line)
	for _, h := range c.Headers {
		if !strings.EqualFold(h.Name, "Content-Length") {
			fmt.Fprintf(b, "    %s: %s\n", h.Name, h.Value)
		}
	}
	for _, line := range strings.Split(strings.TrimRight(c.Body, "\n"), "\n") {
		if line != "" {
			fmt.Fprintf(b, "    | %s\n", line)
		}
	}
}
