package scripttest

import (
	"crypto/rand"
	"encoding/hex"
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
	client *esl.Client // the host's connection, when the world made it
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

// startSims starts a simulator per node, named like it: the primary one
// with the test hooks and the runner's fence command installed.
func (w *world) startSims() error {
	primary, others := nodeNames(w.cfg.nodes)
	sim, err := startSimulator(primary)
	if err != nil {
		return err
	}
	w.sim, w.node = sim, primary
	w.hooks = installHooks(sim, w.clock.activity)
	sim.HandleAPI(fenceCmd, func(string) string { return "+OK" })
	for _, name := range others {
		sim, err := startSimulator(name)
		if err != nil {
			return err
		}
		w.others = append(w.others, &otherNode{name: name, sim: sim})
	}
	return nil
}

// startSimulator starts the simulated FreeSWITCH of one node, at the
// world's time scale, with a fresh password.
func startSimulator(name string) (*esltest.Server, error) {
	sim, err := esltest.Start(esltest.Options{TimeScale: simTimeScale, ParkConsumesDTMF: true, Hostname: name,
		Password: randomPassword()})
	if err != nil {
		return nil, fmt.Errorf("scripttest: starting the simulator of node %s: %w", name, err)
	}
	return sim, nil
}

// randomPassword returns a fresh password for a simulator, so that no
// other program on the machine can use it.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// connectOthers connects the host to each other node's simulator.
func (w *world) connectOthers() error {
	for _, n := range w.others {
		var err error
		if n.client, err = esl.Dial(w.ctx, n.sim.Addr(), esl.Options{Password: n.sim.Password(), Node: n.name}); err != nil {
			return fmt.Errorf("scripttest: connecting to the simulator of node %s: %w", n.name, err)
		}
		if err := w.h.AddNode(w.ctx, n.name, n.client); err != nil {
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
