package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl/esltest"
)

// simNodes are the simulators of `run --simulate` and `exec --simulate`:
// one per configured node, named like it.
type simNodes struct {
	names []string // in the configuration's order
	sims  []*esltest.Server
}

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

// startSimNodes starts one simulator per configured node; its hostname is
// the node's name.
func startSimNodes(cfg *config.Config) (*simNodes, error) {
	sn := &simNodes{names: simNodeNames(cfg)}
	for _, name := range sn.names {
		sim, err := esltest.Start(esltest.Options{Password: randomPassword(), TimeScale: simTimeScale, Hostname: name})
		if err != nil {
			sn.close()
			return nil, exitError(fmt.Errorf("eslscript: starting the simulator: %w", err), exitFailure)
		}
		sn.sims = append(sn.sims, sim)
	}
	return sn, nil
}

// close closes every simulator.
func (sn *simNodes) close() {
	for _, s := range sn.sims {
		s.Close()
	}
}

// primary is the simulator of the default node, the first by name, where
// the demo places its calls and fires its events.
func (sn *simNodes) primary() *esltest.Server {
	return sn.sims[slices.Index(sn.names, slices.Min(sn.names))]
}

// useSimulators points each configured node at its simulator (keeping its
// other settings, such as event_format) and replaces the listeners with
// one on a free loopback port for the default node.
func useSimulators(cfg *config.Config, sn *simNodes) {
	off := false
	nodes := make([]config.Node, len(sn.names))
	for i, name := range sn.names {
		n := config.Node{Name: name}
		if i < len(cfg.Nodes) {
			n = cfg.Nodes[i]
		}
		n.Address, n.Password, n.PasswordEnv, n.PasswordFile, n.User = sn.sims[i].Addr(), config.Secret(sn.sims[i].Password()), "", "", ""
		n.Reconnect = &off
		nodes[i] = n
	}
	cfg.Nodes = nodes
	useSimListener(cfg)
}

// printSimCommands prints the commands each simulator received, under the
// node's name when there are several.
func printSimCommands(w io.Writer, sn *simNodes) {
	for i, s := range sn.sims {
		if len(sn.sims) > 1 {
			fmt.Fprintf(w, "node %s: ", sn.names[i])
		}
		printCommands(w, s.Commands())
	}
}
