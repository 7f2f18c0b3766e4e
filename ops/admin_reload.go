package ops

import (
	"errors"
	"net/http"
	"time"

	"github.com/eslscript/eslscript/host"
)

// Reload reloads the scripts through the Source and records the outcome
// for /status. Route SIGHUP here too, so that /status shows its result.
func (a *Admin) Reload() error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	err := a.opts.Source.Reload()
	res := &ReloadResult{OK: err == nil, Generation: a.opts.Source.Status().Generation, At: time.Now().UTC()}
	if err != nil {
		res.Error = a.opts.Redactor.String(err.Error())
	}
	var le *host.LoadError
	if errors.As(err, &le) {
		res.File, res.Line = le.File, le.Line
	}
	a.last.Store(res)
	return err
}

// LastReload returns the outcome of the last Reload, or nil.
func (a *Admin) LastReload() *ReloadResult { return a.last.Load() }

// reload is POST /reload: 200 with the new generation, or 422 with the
// load error while the running scripts stay in place.
func (a *Admin) reload(w http.ResponseWriter, _ *http.Request) {
	err := a.Reload()
	res := a.LastReload()
	code := http.StatusOK
	if err != nil {
		code = http.StatusUnprocessableEntity
		a.opts.Logger.Warn("ops: reload requested over the admin endpoint failed", "error", res.Error)
	}
	writeJSON(w, code, res)
}
