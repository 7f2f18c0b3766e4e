package host

import "log/slog"

// callbackHandler is the handler name of a binding's callback run
// (a timer.after function, a bgapi callback) posted to a state's loop.
const callbackHandler = "callback"

// callbackFailed handles an error raised by a binding's callback
// (bindings.Runtime.OnCallbackError). Run by the state's loop as a posted
// callback (st in a "callback" run), it becomes that run's error, logged
// and counted once; run inside a blocking call of a session (st nil), it
// is logged and counted as a failed "callback" run of its own.
func (h *Host) callbackFailed(st *luaState, script, what, call string, err error) {
	if st != nil && st.inCallback {
		if st.cbErr == nil {
			st.cbErr, st.cbCall, st.cbWhat = err, call, what
		}
		return
	}
	h.obs.HandlerDone(script, callbackHandler, 0, err, false)
	logFailure(failureLogger(h.log, call, "", what), "host: handler failed", script, callbackHandler, err)
}

// failureLogger is log with the call uuid and node of a failed run and the
// kind of callback that failed, when known, so that the failure line can
// be found with the call's lines.
func failureLogger(log *slog.Logger, call, node, callback string) *slog.Logger {
	var attrs []any
	if call != "" {
		attrs = append(attrs, "call", call)
	}
	if node != "" {
		attrs = append(attrs, "node", node)
	}
	if callback != "" {
		attrs = append(attrs, "callback", callback)
	}
	if len(attrs) == 0 {
		return log
	}
	return log.With(attrs...)
}
