package ops

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/eslscript/eslscript/esl"
)

// Check is one readiness check: Run returns nil when ready, else why not.
type Check struct {
	Name string
	Run  func() error
}

// checkResult is one check in the /readyz body.
type checkResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// readyBody is the /readyz body.
type readyBody struct {
	Ready  bool          `json:"ready"`
	Failed []string      `json:"failed,omitempty"`
	Checks []checkResult `json:"checks"`
}

// errDraining fails readiness once SetDraining was called.
var errDraining = errors.New("shutting down: not accepting new calls")

// readyz is GET /readyz: 200 when every check passes, else 503; the body
// names each check and why it fails.
func (a *Admin) readyz(w http.ResponseWriter, _ *http.Request) {
	body := readyBody{Ready: true}
	checks := append([]Check{{Name: "draining", Run: a.notDraining}}, a.opts.Checks...)
	for _, c := range checks {
		res := checkResult{Name: c.Name, OK: true}
		if err := c.Run(); err != nil {
			res.OK, res.Error = false, a.opts.Redactor.String(err.Error())
			body.Ready = false
			body.Failed = append(body.Failed, c.Name)
		}
		body.Checks = append(body.Checks, res)
	}
	code := http.StatusOK
	if !body.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, body)
}

func (a *Admin) notDraining() error {
	if a.draining.Load() {
		return errDraining
	}
	return nil
}

// ScriptsLoaded passes once src runs a script generation.
func ScriptsLoaded(src Source) Check {
	return Check{Name: "scripts", Run: func() error {
		if src.Status().Generation == 0 {
			return errors.New("no script generation loaded")
		}
		return nil
	}}
}

// NodeChecks returns one check per configured node ("node:NAME"): it
// passes while the node's connection is up.
func NodeChecks(src Source, names ...string) []Check {
	checks := make([]Check, len(names))
	for i, name := range names {
		checks[i] = Check{Name: "node:" + name, Run: func() error { return nodeUp(src, name) }}
	}
	return checks
}

func nodeUp(src Source, name string) error {
	for _, n := range src.Status().Nodes {
		if n.Name == name {
			if n.State != esl.StateConnected {
				return fmt.Errorf("connection %s", n.State)
			}
			return nil
		}
	}
	return errors.New("not added to the host")
}

// ListenerCheck returns the check of one outbound listener
// ("listener:NAME"): bound reports whether it is still accepting.
func ListenerCheck(name string, bound func() bool) Check {
	return Check{Name: "listener:" + name, Run: func() error {
		if !bound() {
			return errors.New("not accepting connections")
		}
		return nil
	}}
}
