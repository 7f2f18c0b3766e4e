package ops

import (
	"net/http"
	"time"

	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/host"
)

// StatusBody is the JSON of GET /status.
type StatusBody struct {
	Version    string         `json:"version,omitempty"`
	Started    time.Time      `json:"started,omitzero"`
	Uptime     float64        `json:"uptime_seconds,omitempty"`
	Generation uint64         `json:"generation"`
	Loaded     time.Time      `json:"loaded"`
	Draining   bool           `json:"draining"`
	Queued     int            `json:"queued_events"`
	LiveCalls  int            `json:"live_calls"`
	LastReload *ReloadResult  `json:"last_reload,omitempty"`
	Scripts    []ScriptBody   `json:"scripts"`
	Nodes      []NodeBody     `json:"nodes"`
	Listeners  []ListenerBody `json:"listeners"`
	// Fleet is set when this instance is one of a fleet.
	Fleet *fleet.Status `json:"fleet,omitempty"`
}

// ListenerBody is one outbound listener in StatusBody.
type ListenerBody struct {
	Name     string `json:"name"`
	Address  string `json:"address"` // the bound address, else the configured one
	Script   string `json:"script"`  // the default script
	MaxCalls int    `json:"max_calls"`
	Bound    bool   `json:"bound"`
}

// ScriptBody is one script in StatusBody.
type ScriptBody struct {
	Name      string   `json:"name"`
	Events    []string `json:"events"`
	Session   bool     `json:"session"`
	Init      bool     `json:"init"`
	Timers    []string `json:"timers"`
	LiveCalls int      `json:"live_calls"`
}

// NodeBody is one FreeSWITCH node in StatusBody.
type NodeBody struct {
	Name       string   `json:"name"`
	State      string   `json:"state"`
	Subscribed []string `json:"subscribed"`
}

// status is GET /status.
func (a *Admin) status(w http.ResponseWriter, r *http.Request) {
	b := a.Status()
	if a.opts.Fleet != nil {
		st := a.opts.Fleet(r.Context())
		b.Fleet = &st
	}
	writeJSON(w, http.StatusOK, b)
}

// Status returns what GET /status serves.
func (a *Admin) Status() StatusBody {
	st := a.opts.Source.Status()
	b := StatusBody{
		Generation: st.Generation, Loaded: st.Loaded, Draining: a.draining.Load(),
		Queued: st.Queued, LastReload: a.LastReload(),
		Scripts: []ScriptBody{}, Nodes: []NodeBody{}, Listeners: []ListenerBody{},
		Version: a.opts.Version, Started: a.opts.Started,
	}
	if !a.opts.Started.IsZero() {
		b.Uptime = time.Since(a.opts.Started).Round(time.Second).Seconds()
	}
	if a.opts.Listeners != nil {
		b.Listeners = append(b.Listeners, a.opts.Listeners()...)
	}
	for _, s := range st.Scripts {
		b.Scripts = append(b.Scripts, scriptBody(s))
		b.LiveCalls += s.LiveCalls
	}
	for _, n := range st.Nodes {
		b.Nodes = append(b.Nodes, NodeBody{Name: n.Name, State: n.State.String(), Subscribed: nonNil(n.Subscribed)})
	}
	return b
}

func scriptBody(s host.ScriptStatus) ScriptBody {
	return ScriptBody{
		Name: s.Name, Events: nonNil(s.Events), Session: s.Session, Init: s.Init,
		Timers: nonNil(s.Timers), LiveCalls: s.LiveCalls,
	}
}

// nonNil makes an empty list marshal as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
