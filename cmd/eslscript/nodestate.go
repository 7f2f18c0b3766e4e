package main

import (
	"log/slog"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
)

// logNodeState returns the esl.Options.OnState of a node: it logs the loss
// of the connection, the start of the reconnection (each failed attempt is
// esl's "esl: reconnect failed" line, one line per attempt) and the
// reconnection. The first connection is logged by dialNodes
// ("eslscript: connected").
func logNodeState(log *slog.Logger, node string) func(esl.StateChange) {
	return func(sc esl.StateChange) {
		switch sc.State {
		case esl.StateLost:
			log.Warn("eslscript: node connection lost", "node", node, "error", errString(sc.Err))
		case esl.StateReconnecting:
			if sc.Attempt == 1 { // each failed attempt is logged by esl ("esl: reconnect failed")
				log.Info("eslscript: node reconnecting", "node", node)
			}
		case esl.StateConnected:
			if sc.Attempt > 0 {
				log.Info("eslscript: node reconnected", "node", node, "attempt", sc.Attempt)
			}
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

// notifyHost chains next with the host's NodeStateChanged, so scripts get
// the eslscript::node_up / node_down events.
func notifyHost(h *host.Host, next func(esl.StateChange)) func(esl.StateChange) {
	return func(sc esl.StateChange) {
		next(sc)
		h.NodeStateChanged(sc)
	}
}
