package ops

import (
	"errors"
	"net/http"
	"time"

	"github.com/eslscript/eslscript/host"
)

// ReloadReporter is implemented by a Source that records the outcome of
// every load of the scripts, whatever triggered it (*host.Host does: file
// watch, SIGHUP, the admin endpoint, eslscript reload).
type ReloadReporter interface {
	LastReload() host.BuildOutcome
}

// Reload reloads the scripts through the Source and records the outcome
// for /status. Route SIGHUP here too, so that its result is logged.
func (a *Admin) Reload() error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	before := a.opts.Source.Status().Generation
	err := a.opts.Source.Reload()
	gen := a.opts.Source.Status().Generation
	a.last.Store(a.reloadResult(err, gen, time.Now(), gen != before))
	return err
}

// LastReload returns the outcome of the last reload: from the Source when
// it is a ReloadReporter (so reloads by the file watcher count too), else
// of the last Reload call; nil when there was none.
func (a *Admin) LastReload() *ReloadResult {
	if rr, ok := a.opts.Source.(ReloadReporter); ok {
		if o := rr.LastReload(); !o.At.IsZero() {
			return a.reloadResult(o.Err, o.Generation, o.At, o.Changed)
		}
	}
	return a.last.Load()
}

// reloadResult describes a reload that ended at at with err, gen running
// afterwards (a new one when changed); the error text is redacted and a
// script error located.
func (a *Admin) reloadResult(err error, gen uint64, at time.Time, changed bool) *ReloadResult {
	res := &ReloadResult{OK: err == nil, Changed: changed, Generation: gen, At: at.UTC()}
	if err != nil {
		res.Error = a.opts.Redactor.String(err.Error())
	}
	var le *host.LoadError
	if errors.As(err, &le) {
		res.File, res.Line = le.File, le.Line
	}
	return res
}

// reload is POST /reload: 200 with the new generation, or 422 with the
// load error while the running scripts stay in place.
func (a *Admin) reload(w http.ResponseWriter, _ *http.Request) {
	err := a.Reload()
	res := a.last.Load()
	code := http.StatusOK
	if err != nil {
		code = http.StatusUnprocessableEntity
		a.opts.Logger.Warn("ops: reload requested over the admin endpoint failed", "error", res.Error)
	}
	writeJSON(w, code, res)
}
