package scripttest

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// simCall is one simulated call placed into a script by a test.
type simCall struct {
	w      *world
	script string
	call   *esltest.Call
	conn   *esltest.Conn
	ran    bool
	cause  string // "ok", "error", "budget", "rejected: ..."
	errMsg string // the session's Lua error, if any
}

// callSpec describes a call to place (sim.call's table).
type callSpec struct {
	script, caller, callerName, destination string
	vars                                    map[string]string
}

// newCall creates the simulated channel (CHANNEL_CREATE fires now).
func (w *world) newCall(sp callSpec) *simCall {
	vars := map[string]string{host.ScriptVar: sp.script}
	for k, v := range sp.vars {
		vars[k] = v
	}
	c := w.sim.NewCall(esltest.CallOptions{
		CallerIDNumber: sp.caller, CallerIDName: sp.callerName, Destination: sp.destination, Variables: vars,
	})
	sc := &simCall{w: w, script: sp.script, call: c}
	w.calls = append(w.calls, sc)
	w.hooks.forCall(c.UUID())
	return sc
}

// run connects the call to the host's outbound listener (as the socket
// application does, "async full") and drives the system until the script
// returned, the call hung up and every consumer handler caught up.
func (sc *simCall) run() error {
	if sc.ran {
		return fmt.Errorf("scripttest: call already ran")
	}
	sc.ran = true
	w := sc.w
	ended := len(w.obs.sessionsEnded())
	failed := w.logs.count()
	conn, err := w.sim.Dial(w.ctx, w.out, sc.call, esltest.DialOptions{Async: true, Full: true})
	if err != nil {
		return fmt.Errorf("scripttest: connecting the call: %w", err)
	}
	sc.conn = conn
	err = w.drive("the session script of "+sc.script+" to finish", autoAdvance, func() bool {
		return closed(conn.Done()) && closed(sc.call.Done())
	})
	if err != nil {
		return err
	}
	sc.collect(ended, failed)
	return w.catchUp(autoAdvance)
}

// collect records how the session ended and its error message.
func (sc *simCall) collect(endedBefore, logsBefore int) {
	ends := sc.w.obs.sessionsEnded()
	if len(ends) > endedBefore {
		sc.cause = ends[endedBefore].cause
		if sc.cause != "error" && sc.cause != "budget" {
			sc.cause = "ok" // a hangup cause (the host's label): call:hangup_cause() tells it
		}
	}
	for _, l := range sc.w.logs.all()[logsBefore:] {
		if h, _ := l.field("handler"); h == "session" || strings.HasPrefix(l.msg, "host: outbound call not run") {
			if e, ok := l.field("error"); ok && sc.errMsg == "" {
				sc.errMsg = e
			}
		}
	}
}

// closed reports whether ch is closed.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// scopePrefix matches the scoped-variable prefix "%[a=b,c=d]" that the
// session binding puts before some application arguments.
var scopePrefix = regexp.MustCompile(`^%\[[^\]]*\]`)

// appRun is one application the script ran, for call:apps().
type appRun struct {
	app, arg, raw, response string
}

// apps returns the applications run on the call, in order.
func (sc *simCall) apps() []appRun {
	var out []appRun
	for _, x := range sc.call.Executed() {
		out = append(out, appRun{app: x.App, arg: scopePrefix.ReplaceAllString(x.Args, ""), raw: x.Args, response: x.Response})
	}
	return out
}

// varsSet returns the variables the script set on the call, last value
// wins: set/export applications and uuid_setvar api commands.
func (sc *simCall) varsSet() map[string]string {
	vars := map[string]string{}
	for _, a := range sc.apps() {
		if a.app == "set" || a.app == "export" {
			k, v, _ := strings.Cut(a.arg, "=")
			vars[strings.TrimSpace(k)] = v
		}
	}
	prefix := "uuid_setvar " + sc.call.UUID() + " "
	for _, cmd := range sc.w.apiCommands() {
		if rest, ok := strings.CutPrefix(cmd, prefix); ok {
			k, v, _ := strings.Cut(rest, " ")
			vars[unquote(k)] = unquote(v)
		}
	}
	return vars
}

// unquote undoes the session binding's single quoting ('a\'b' -> a'b).
func unquote(s string) string {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return s
	}
	return strings.NewReplacer(`\\`, `\`, `\'`, `'`).Replace(s[1 : len(s)-1])
}
