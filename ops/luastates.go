package ops

import (
	"github.com/eslscript/eslscript/host"
	"github.com/prometheus/client_golang/prometheus"
)

// luaStatesDesc describes eslscript_lua_states.
var luaStatesDesc = prometheus.NewDesc(namespace+"_lua_states",
	"Idle Lua states pooled for each script of the current generation.", []string{"script"}, nil)

// luaStates collects eslscript_lua_states at scrape time.
type luaStates struct {
	m    *Metrics
	read func() map[string]int
}

// Describe implements prometheus.Collector.
func (c luaStates) Describe(ch chan<- *prometheus.Desc) { ch <- luaStatesDesc }

// Collect implements prometheus.Collector.
func (c luaStates) Collect(ch chan<- prometheus.Metric) {
	for script, n := range c.read() {
		ch <- prometheus.MustNewConstMetric(luaStatesDesc, prometheus.GaugeValue, float64(n), c.m.names.label(script))
	}
}

// WatchLuaStates exports eslscript_lua_states{script}, read from read at
// every scrape (see HostLuaStates). Call it at most once.
func (m *Metrics) WatchLuaStates(read func() map[string]int) {
	m.reg.MustRegister(luaStates{m: m, read: read})
}

// HostLuaStates reads the idle Lua states of h's current generation, per
// script, for WatchLuaStates.
func HostLuaStates(h *host.Host) func() map[string]int {
	return func() map[string]int {
		out := map[string]int{}
		g := h.Generation()
		if g == nil {
			return out
		}
		for _, s := range g.Scripts() {
			out[s.Name] = g.IdleStates(s.Name)
		}
		return out
	}
}
