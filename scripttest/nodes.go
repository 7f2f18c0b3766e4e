package scripttest

import (
	"fmt"
	"slices"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// defaultNode names the simulated FreeSWITCH when Options.Nodes is empty.
const defaultNode = "sim"

// otherNode is a node besides the primary one: a simulator of its own
// that answers the scripts' commands.
type otherNode struct {
	name   string
	sim    *esltest.Server
	client *esl.Client
}

// nodeNames returns the primary node (the first by name: the host's
// default node, where sim.call and sim.event happen) and the others.
func nodeNames(names []string) (primary string, others []string) {
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(slices.DeleteFunc(names, func(n string) bool { return n == "" }))
	if len(names) == 0 {
		return defaultNode, nil
	}
	return names[0], names[1:]
}

// startOtherNodes starts a simulator per other node and adds it to the
// host under its name.
func (w *world) startOtherNodes() error {
	_, others := nodeNames(w.cfg.nodes)
	for _, name := range others {
		sim, err := esltest.Start(esltest.Options{TimeScale: simTimeScale, ParkConsumesDTMF: true, Hostname: name})
		if err != nil {
			return fmt.Errorf("scripttest: starting the simulator of node %s: %w", name, err)
		}
		n := &otherNode{name: name, sim: sim}
		w.others = append(w.others, n)
		if n.client, err = esl.Dial(w.ctx, sim.Addr(), esl.Options{Password: sim.Password(), Node: name}); err != nil {
			return fmt.Errorf("scripttest: connecting to the simulator of node %s: %w", name, err)
		}
		if err := w.h.AddNode(w.ctx, name, n.client); err != nil {
			return err
		}
	}
	return nil
}

// closeOtherNodes closes the other nodes' connections and simulators.
func (w *world) closeOtherNodes() {
	for _, n := range w.others {
		if n.client != nil {
			n.client.Close()
		}
		n.sim.Close()
	}
}

// sims returns every node's simulator, the primary first.
func (w *world) sims() []*esltest.Server {
	out := []*esltest.Server{w.sim}
	for _, n := range w.others {
		out = append(out, n.sim)
	}
	return out
}

// commands returns the commands every node received: the primary's, then
// each other node's in name order.
func (w *world) commands() []esltest.Command {
	var out []esltest.Command
	for _, s := range w.sims() {
		out = append(out, s.Commands()...)
	}
	return out
}
