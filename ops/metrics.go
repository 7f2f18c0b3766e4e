package ops

import (
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric name.
const namespace = "eslscript"

// Metrics holds every eslscript metric in its own registry. It implements
// host.Observer; OnState and CommandDone record what the esl clients see.
// Its methods are safe for concurrent use and never block on I/O.
type Metrics struct {
	reg *prometheus.Registry

	nodeUp, nodeState     *prometheus.GaugeVec
	nodeReconnects        *prometheus.CounterVec
	eventsReceived        *prometheus.CounterVec
	eventsDispatched      *prometheus.CounterVec
	eventsDropped         *prometheus.CounterVec
	dispatchLag           prometheus.Histogram
	handlerCalls          *prometheus.CounterVec
	handlerErrors         *prometheus.CounterVec
	handlerBudgetKills    *prometheus.CounterVec
	handlerDuration       *prometheus.HistogramVec
	sessionsActive        *prometheus.GaugeVec
	sessionsStarted       *prometheus.CounterVec
	sessionsEnded         *prometheus.CounterVec
	sessionsRejected      *prometheus.CounterVec
	commandDuration       *prometheus.HistogramVec
	commandErrors         *prometheus.CounterVec
	reloads               *prometheus.CounterVec
	generation            prometheus.Gauge
	reloadSuccess         prometheus.Gauge
	reloadTime            prometheus.Gauge
	adminRefused          prometheus.Counter
	nodes, names, handler *guard
	fleet                 fleetMetrics // registered by Fleet
}

// MetricsOptions configure NewMetrics.
type MetricsOptions struct {
	// MaxLabelValues caps the distinct values of each name label
	// (DefaultMaxLabelValues when zero).
	MaxLabelValues int
	// NoProcessMetrics leaves out the Go runtime and process collectors.
	NoProcessMetrics bool
	// Version, if set, is exported as eslscript_build_info{version,goversion} 1.
	Version string
}

// NewMetrics returns the metrics, registered in a fresh registry.
func NewMetrics(o MetricsOptions) *Metrics {
	if o.MaxLabelValues <= 0 {
		o.MaxLabelValues = DefaultMaxLabelValues
	}
	m := &Metrics{
		reg:     prometheus.NewRegistry(),
		nodes:   newGuard(o.MaxLabelValues),
		names:   newGuard(o.MaxLabelValues),
		handler: newGuard(o.MaxLabelValues),
	}
	m.newNodeMetrics()
	m.newEventMetrics()
	m.newHandlerMetrics()
	m.newSessionMetrics()
	m.newCommandMetrics()
	m.newReloadMetrics()
	if o.Version != "" {
		m.gaugeVec("build_info", "Always 1; the labels say which eslscript runs.", "version", "goversion").
			WithLabelValues(o.Version, runtime.Version()).Set(1)
	}
	if !o.NoProcessMetrics {
		m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return m
}

// Registry returns the registry, for registering more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, labels)
	m.reg.MustRegister(g)
	return g
}

func (m *Metrics) histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}
