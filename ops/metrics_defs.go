package ops

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Histogram buckets, in seconds.
var (
	// lagBuckets: from sub-millisecond queueing up to a stuck worker.
	lagBuckets = []float64{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}
	// handlerBuckets: handlers run from microseconds to their 5 s budget.
	handlerBuckets = []float64{0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	// commandBuckets: ESL round trips on a LAN, up to slow originates.
	commandBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30}
)

func (m *Metrics) newNodeMetrics() {
	m.nodeUp = m.gaugeVec("node_up", "1 while the inbound ESL connection to the node is connected, else 0.", "node")
	m.nodeState = m.gaugeVec("node_state", "1 for the node connection's current state (connecting, connected, lost, reconnecting, closed), 0 for the others.", "node", "state")
	m.nodeReconnects = m.counterVec("node_reconnects_total", "Successful reconnections to the node after a lost connection.", "node")
}

func (m *Metrics) newEventMetrics() {
	m.eventsReceived = m.counterVec("events_received_total", "Events received from the node.", "node")
	m.eventsDispatched = m.counterVec("events_dispatched_total", "Events queued for a script's handler.", "script")
	m.eventsDropped = m.counterVec("events_dropped_total", "Events meant for a script that were dropped (queue_full, shutdown).", "script", "reason")
	m.dispatchLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "dispatch_lag_seconds", Buckets: lagBuckets,
		Help: "Time from an event's receipt to the start of its first handler.",
	})
	m.reg.MustRegister(m.dispatchLag)
}

func (m *Metrics) newHandlerMetrics() {
	m.handlerCalls = m.counterVec("handler_calls_total", "Handler, init, timer and session function runs.", "script", "handler")
	m.handlerErrors = m.counterVec("handler_errors_total", "Runs that ended with an error (including budget kills).", "script", "handler")
	m.handlerBudgetKills = m.counterVec("handler_budget_kills_total", "Runs stopped because they exceeded their time budget.", "script", "handler")
	m.handlerDuration = m.histogramVec("handler_duration_seconds", "Duration of handler runs.", handlerBuckets, "script", "handler")
}

func (m *Metrics) newSessionMetrics() {
	m.sessionsActive = m.gaugeVec("sessions_active", "Outbound calls whose script is running.", "listener", "script")
	m.sessionsStarted = m.counterVec("sessions_started_total", "Outbound calls that started a script.", "listener", "script")
	m.sessionsEnded = m.counterVec("sessions_ended_total", "Outbound calls whose script returned, by cause: budget or error (the script was stopped or raised), else the call's hangup cause if it hung up before the script returned (FreeSWITCH's name; OTHER for an unknown one), else ok.", "listener", "script", "cause")
	m.sessionsRejected = m.counterVec("sessions_rejected_total", "Outbound connections refused (not_allowed, max_calls, shutting_down, no_script, other).", "listener", "reason")
}

func (m *Metrics) newCommandMetrics() {
	m.commandDuration = m.histogramVec("command_duration_seconds", "ESL command round-trip time, by command word (other for unknown words).", commandBuckets, "node", "command")
	m.commandErrors = m.counterVec("command_errors_total", "ESL commands that failed (transport error or -ERR reply).", "node", "command")
}

func (m *Metrics) newReloadMetrics() {
	m.reloads = m.counterVec("reloads_total", "Script reloads, by result (ok, failed).", "result")
	m.generation = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "generation", Help: "ID of the script generation currently running."})
	m.adminRefused = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "admin_refused_total", Help: "Admin HTTP requests refused because the client is outside admin.allow."})
	m.reloadSuccess = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "last_reload_success",
		Help: "1 when the last load of the scripts succeeded (the first one included), 0 when it failed and older scripts still run."})
	m.reloadTime = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "last_reload_timestamp_seconds",
		Help: "When the scripts last loaded or failed to, as a Unix time."})
	m.reg.MustRegister(m.generation, m.adminRefused, m.reloadSuccess, m.reloadTime)
	for _, r := range []string{"ok", "failed"} {
		m.reloads.WithLabelValues(r)
	}
}
