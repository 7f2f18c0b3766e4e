package ops

import (
	"sync"

	"github.com/eslscript/eslscript/fleet"
	"github.com/prometheus/client_golang/prometheus"
)

// fleetMetrics are the metrics of this instance's part in a fleet,
// registered by Metrics.Fleet.
type fleetMetrics struct {
	once                                       sync.Once
	callsOwned, leader                         prometheus.Gauge
	takeovers, renewFailed, gaps, replayed, rt prometheus.Counter
}

// Fleet registers the fleet's metrics (once) and returns their observer,
// for fleet.Options.Observer.
func (m *Metrics) Fleet() fleet.Observer {
	m.fleet.once.Do(m.newFleetMetrics)
	return &m.fleet
}

func (m *Metrics) newFleetMetrics() {
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help})
		m.reg.MustRegister(g)
		return g
	}
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
		m.reg.MustRegister(c)
		return c
	}
	f := &m.fleet
	f.callsOwned, f.leader = gauge("fleet_calls_owned", "Live calls this instance of the fleet owns (runs the handlers of)."),
		gauge("fleet_leader", "1 while this instance is the fleet's leader (node-level events, leader timers), else 0.")
	f.takeovers = counter("fleet_takeovers_total", "Calls this instance took over from a stopped instance (or from itself after a fence).")
	f.renewFailed = counter("fleet_lease_renewals_failed_total", "Lease renewals that failed or found the lease lapsed.")
	f.gaps = counter("fleet_gaps_reported_total", "Takeover events raised to the scripts (each names a window of possibly missed events).")
	f.replayed = counter("fleet_events_replayed_total", "Events replayed after a takeover, marked Eslscript-Possible-Repeat.")
	f.rt = counter("fleet_redis_round_trips_total", "Redis round trips of the fleet (renewals, claims, releases, takeovers, status).")
}

// FleetCallsOwned implements fleet.Observer.
func (f *fleetMetrics) FleetCallsOwned(n int) { f.callsOwned.Set(float64(n)) }

// FleetLeader implements fleet.Observer.
func (f *fleetMetrics) FleetLeader(leader bool) { f.leader.Set(b2f(leader)) }

// FleetTakeover implements fleet.Observer.
func (f *fleetMetrics) FleetTakeover() { f.takeovers.Inc() }

// FleetRenewFailed implements fleet.Observer.
func (f *fleetMetrics) FleetRenewFailed() { f.renewFailed.Inc() }

// FleetGap implements fleet.Observer.
func (f *fleetMetrics) FleetGap() { f.gaps.Inc() }

// FleetReplayed implements fleet.Observer.
func (f *fleetMetrics) FleetReplayed(n int) { f.replayed.Add(float64(n)) }

// FleetRoundTrip implements fleet.Observer.
func (f *fleetMetrics) FleetRoundTrip() { f.rt.Inc() }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Interface guard.
var _ fleet.Observer = (*fleetMetrics)(nil)
