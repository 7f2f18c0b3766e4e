package main

import (
	"context"
	"fmt"
	"io"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/scripttest"
)

// simNodeNames returns the configured node names, or simNode when none is
// configured.
func simNodeNames(cfg *config.Config) []string {
	var names []string
	for _, n := range cfg.Nodes {
		names = append(names, n.Name)
	}
	if len(names) == 0 {
		names = []string{simNode}
	}
	return names
}

// startSimulation starts the simulated world of `run --simulate` and
// `exec --simulate`, the one `eslscript test` runs in: a simulator per
// configured node, named like it.
func startSimulation(ctx context.Context, cfg *config.Config) (*scripttest.Simulation, error) {
	sim, err := scripttest.NewSimulation(ctx, simNodeNames(cfg))
	if err != nil {
		return nil, exitError(fmt.Errorf("eslscript: starting the simulator: %w", err), exitFailure)
	}
	return sim, nil
}

// useSimulators points each configured node (or one node named sim) at
// its simulator, keeping its other settings such as event_format.
func useSimulators(cfg *config.Config, sim *scripttest.Simulation) {
	off := false
	names := simNodeNames(cfg)
	nodes := make([]config.Node, len(names))
	for i, name := range names {
		n := config.Node{Name: name}
		if i < len(cfg.Nodes) {
			n = cfg.Nodes[i]
		}
		s := sim.Node(name)
		n.Address, n.Password, n.PasswordEnv, n.PasswordFile, n.User = s.Addr(), config.Secret(s.Password()), "", "", ""
		n.Reconnect = &off
		nodes[i] = n
	}
	cfg.Nodes = nodes
}

// printSimCommands prints the commands each simulator received, in the
// configuration's order, under the node's name when there are several.
func printSimCommands(w io.Writer, names []string, sim *scripttest.Simulation) {
	for _, name := range names {
		if len(names) > 1 {
			fmt.Fprintf(w, "node %s: ", name)
		}
		printCommands(w, sim.Node(name).Commands())
	}
}
