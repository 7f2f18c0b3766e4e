package ops

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/host"
)

// Source is what the admin endpoints read and drive; *host.Host
// implements it.
type Source interface {
	Status() host.Status
	Reload() error
}

// AdminOptions configure an Admin.
type AdminOptions struct {
	// Source is the running host (required).
	Source Source
	// Metrics, if set, is served on /metrics and counts refused requests.
	Metrics *Metrics
	// Checks are the readiness checks of /readyz, in order (see
	// ScriptsLoaded, NodeChecks, ListenerCheck).
	Checks []Check
	// Level, if set, is the process log level, read and changed on /loglevel.
	Level *slog.LevelVar
	// Allow lists the client networks that may use the endpoint
	// (LoopbackOnly when empty).
	Allow []netip.Prefix
	// Hosts are the host names (besides IP addresses and localhost) that
	// requests may name in their Host header (see admin_browser.go).
	Hosts []string
	// Token, if set, must come as "Authorization: Bearer <token>" with
	// every state-changing request (POST /reload, PUT /loglevel).
	Token string
	// Redactor scrubs secrets out of every text the endpoint returns.
	Redactor Redactor
	// Logger receives the endpoint's own logs (nil: discard).
	Logger *slog.Logger
	// Logs, if set, is the process log served to followers of GET /logs.
	Logs *LogTail
	// KV, if set, is the store of the scripts' kv module, read and written
	// on /kv (see admin_kv.go).
	KV bindings.KV
	// Version and Started are the process's version and start time, shown
	// by /status.
	Version string
	Started time.Time
	// Listeners, if set, lists the outbound listeners for /status.
	Listeners func() []ListenerBody
	// Fleet, if set, is this instance's fleet, shown by /status.
	Fleet func(context.Context) fleet.Status
}

// Admin is the admin HTTP endpoint: /healthz, /readyz, /metrics, /status,
// /reload and /loglevel, behind the allow-list. Its methods are safe for
// concurrent use.
type Admin struct {
	opts     AdminOptions
	handler  http.Handler
	draining atomic.Bool
	reloadMu sync.Mutex // one reload at a time
	last     atomic.Pointer[ReloadResult]
	closing  chan struct{} // closed when Serve's context ends (ends /logs streams)
	closed   sync.Once
}

// ReloadResult is the outcome of a reload (see Admin.LastReload).
type ReloadResult struct {
	OK bool `json:"ok"`
	// Changed reports that a new generation runs; false with OK: the files
	// on disk are those of the running generation, nothing was reloaded.
	Changed    bool   `json:"changed"`
	Generation uint64 `json:"generation"`
	Error      string `json:"error,omitempty"`
	// File and Line locate a script load error, when known.
	File string    `json:"file,omitempty"`
	Line int       `json:"line,omitempty"`
	At   time.Time `json:"at"`
}

// NewAdmin builds the endpoint.
func NewAdmin(o AdminOptions) *Admin {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	a := &Admin{opts: o, closing: make(chan struct{})}
	var refused func()
	if o.Metrics != nil {
		refused = o.Metrics.AdminRefused
	}
	a.handler = AllowList(o.Allow, refused, a.browserGuard(a.routes()))
	return a
}

// routes builds the request multiplexer (without the allow-list).
func (a *Admin) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", onlyMethods(a.healthz, http.MethodGet, http.MethodHead))
	mux.HandleFunc("/readyz", onlyMethods(a.readyz, http.MethodGet, http.MethodHead))
	mux.HandleFunc("/status", onlyMethods(a.status, http.MethodGet))
	mux.HandleFunc("/reload", onlyMethods(a.reload, http.MethodPost))
	mux.HandleFunc("/loglevel", onlyMethods(a.logLevel, http.MethodGet, http.MethodPut))
	mux.HandleFunc("/logs", onlyMethods(a.logs, http.MethodGet))
	mux.HandleFunc("/kv", onlyMethods(a.kvList, http.MethodGet))
	mux.HandleFunc("/kv/{key...}", onlyMethods(a.kvKey, http.MethodGet, http.MethodPut, http.MethodDelete))
	if a.opts.Metrics != nil {
		mux.Handle("/metrics", a.opts.Metrics.Handler())
	}
	return mux
}

// Handler returns the endpoint's handler, allow-list included.
func (a *Admin) Handler() http.Handler { return a.handler }

// SetDraining marks the process as shutting down: /readyz fails from now
// on, so that load balancers and orchestrators stop sending work.
func (a *Admin) SetDraining() { a.draining.Store(true) }

// Serve serves the endpoint on ln until ctx ends, then closes it (giving
// requests in flight up to 5 s). It returns nil after ctx ends.
func (a *Admin) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(a.opts.Logger.Handler(), slog.LevelWarn),
	}
	stop := context.AfterFunc(ctx, func() {
		a.closed.Do(func() { close(a.closing) })
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	defer stop()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (a *Admin) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
