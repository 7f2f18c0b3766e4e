package ops

import (
	"context"
	"errors"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// nodeStates are the values of eslscript_node_state's state label.
var nodeStates = []esl.State{esl.StateConnecting, esl.StateConnected, esl.StateLost, esl.StateReconnecting, esl.StateClosed}

// OnState records a node connection's state change; use it as (or call
// it from) esl.Options.OnState. A StateConnected that follows a loss
// counts as a reconnect.
func (m *Metrics) OnState(sc esl.StateChange) {
	node := m.nodes.label(sc.Node)
	up := 0.0
	if sc.State == esl.StateConnected {
		up = 1
		if sc.Attempt > 0 {
			m.nodeReconnects.WithLabelValues(node).Inc()
		}
	}
	m.nodeUp.WithLabelValues(node).Set(up)
	for _, s := range nodeStates {
		v := 0.0
		if s == sc.State {
			v = 1
		}
		m.nodeState.WithLabelValues(node, s.String()).Set(v)
	}
	m.nodeReconnects.WithLabelValues(node) // exported as 0 from the start
}

// CommandDone records one ESL command's round trip: cmd is the command
// line (only its first word is kept, see CommandLabel). A context
// cancellation by the caller is not counted as an error.
func (m *Metrics) CommandDone(node, cmd string, dur time.Duration, err error) {
	n, c := m.nodes.label(node), CommandLabel(cmd)
	m.commandDuration.WithLabelValues(n, c).Observe(dur.Seconds())
	if err != nil && !errors.Is(err, context.Canceled) {
		m.commandErrors.WithLabelValues(n, c).Inc()
	}
}
