package ops

import (
	"time"

	"github.com/eslscript/eslscript/host"
)

var _ host.Observer = (*Metrics)(nil)

// EventReceived implements host.Observer.
func (m *Metrics) EventReceived(node, _ string) {
	m.eventsReceived.WithLabelValues(m.nodes.label(node)).Inc()
}

// EventDispatched implements host.Observer.
func (m *Metrics) EventDispatched(script, _ string) {
	m.eventsDispatched.WithLabelValues(m.names.label(script)).Inc()
}

// EventDropped implements host.Observer.
func (m *Metrics) EventDropped(script, reason string) {
	m.eventsDropped.WithLabelValues(m.names.label(script), bounded(dropReasons, reason, otherLabel)).Inc()
}

// HandlerDone implements host.Observer.
func (m *Metrics) HandlerDone(script, handler string, dur time.Duration, err error, budgetKilled bool) {
	s, h := m.names.label(script), m.handler.label(handler)
	m.handlerCalls.WithLabelValues(s, h).Inc()
	m.handlerDuration.WithLabelValues(s, h).Observe(dur.Seconds())
	errs, kills := m.handlerErrors.WithLabelValues(s, h), m.handlerBudgetKills.WithLabelValues(s, h)
	if err != nil || budgetKilled {
		errs.Inc() // both series exist from the first run, so rates start at 0
	}
	if budgetKilled {
		kills.Inc()
	}
}

// SessionStarted implements host.Observer.
func (m *Metrics) SessionStarted(listener, script string) {
	l, s := m.names.label(listener), m.names.label(script)
	m.sessionsStarted.WithLabelValues(l, s).Inc()
	m.sessionsActive.WithLabelValues(l, s).Inc()
}

// SessionEnded implements host.Observer.
func (m *Metrics) SessionEnded(listener, script, cause string) {
	l, s := m.names.label(listener), m.names.label(script)
	m.sessionsActive.WithLabelValues(l, s).Dec()
	m.sessionsEnded.WithLabelValues(l, s, SessionCause(cause)).Inc()
}

// SessionRejected implements host.Observer.
func (m *Metrics) SessionRejected(listener, reason string) {
	m.sessionsRejected.WithLabelValues(m.names.label(listener), bounded(rejectReasons, reason, otherLabel)).Inc()
}

// Reload implements host.Observer.
func (m *Metrics) Reload(ok bool, gen uint64) {
	result := "ok"
	if !ok {
		result = "failed"
	}
	m.reloads.WithLabelValues(result).Inc()
	m.generation.Set(float64(gen))
	m.reloadSuccess.Set(boolGauge(ok))
	m.reloadTime.SetToCurrentTime()
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// DispatchLag implements host.Observer.
func (m *Metrics) DispatchLag(d time.Duration) { m.dispatchLag.Observe(d.Seconds()) }

// SetGeneration sets eslscript_generation (the first generation loads
// before any reload is observed) and marks that load successful.
func (m *Metrics) SetGeneration(gen uint64) {
	m.generation.Set(float64(gen))
	m.reloadSuccess.Set(1)
	m.reloadTime.SetToCurrentTime()
}

// AdminRefused counts a request the admin allow-list refused.
func (m *Metrics) AdminRefused() { m.adminRefused.Inc() }
