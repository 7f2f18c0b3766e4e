package esltest

import (
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Execution is one application run on a call.
type Execution struct {
	App, Args string
	// UUID is the Application-UUID (the sendmsg's Event-UUID if given).
	UUID string
	// Response is Application-Response, set when Done.
	Response string
	Done     bool
}

// Exec is the context handed to an application implementation.
type Exec struct {
	// Call is the channel the application runs on.
	Call *Call
	// App and Args are the application name and argument: ${} expanded,
	// without its %[k=v,...] scoped-variable prefix (Application-Data).
	App, Args string
	// UUID is the Application-UUID.
	UUID  string
	lock  bool
	depth int
}

// AppFunc implements a dialplan application. It returns the new
// current_application_response ("" leaves it unchanged; the EXECUTE_COMPLETE
// Application-Response is that variable, else "_none_").
type AppFunc func(x *Exec) string

// HandleApp installs (or replaces) an application implementation; name
// OtherApps replaces the one of every application without its own. A nil
// fn makes the application missing (see OtherApps).
func (s *Server) HandleApp(name string, fn AppFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == OtherApps && fn == nil {
		fn = appNone
	}
	s.apps[name] = fn
}

// exec is switch_core_session_exec: CHANNEL_EXECUTE, the app, then
// CHANNEL_EXECUTE_COMPLETE. An application without an implementation of
// its own runs OtherApps's; a missing one hangs up the call with
// DESTINATION_OUT_OF_ORDER and fires nothing; a down call ignores apps. A
// far-end hangup that waited for the application (HangupAfterApp) lands
// once the outermost application completed.
func (c *Call) exec(app, arg, appUUID string, lock bool, depth int) {
	if !c.Up() {
		return
	}
	fn := c.s.app(app)
	if fn == nil {
		c.Hangup("DESTINATION_OUT_OF_ORDER")
		return
	}
	if appUUID == "" {
		appUUID = newUUID()
	}
	args, sc, scoped := splitScope(c.expand(arg))
	if scoped {
		c.pushScope(sc)
		defer c.popScope()
	}
	x := &Exec{Call: c, App: app, Args: args, UUID: appUUID, lock: lock, depth: depth}
	c.mu.Lock()
	c.running++
	c.mu.Unlock()
	idx := c.startExec(x)
	c.s.emitChannel(c, "CHANNEL_EXECUTE", x.appHeaders(""))
	if r := fn(x); r != "" {
		c.SetVar("current_application_response", r)
	}
	resp := c.appResponse()
	c.markDone(idx, resp) // done before its completion event can be read
	c.s.emitChannel(c, "CHANNEL_EXECUTE_COMPLETE", x.appHeaders(resp))
	c.endExec(idx)
	if cause := c.appEnded(); cause != "" {
		c.Hangup(cause)
	}
}

// startExec records an execution and clears current_application_response.
func (c *Call) startExec(x *Exec) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.breakReq = false
	c.setVarLocked("current_application", x.App)
	c.setVarLocked("current_application_data", x.Args)
	c.setVarLocked("current_application_response", "")
	c.executed = append(c.executed, Execution{App: x.App, Args: x.Args, UUID: x.UUID})
	defer c.s.bump()
	return len(c.executed) - 1
}

// appEnded counts an application's end and returns the cause of a far-end
// hangup that waited for the outermost one.
func (c *Call) appEnded() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running--
	if c.running > 0 || c.farCause == "" {
		return ""
	}
	cause := c.farCause
	c.farCause = ""
	return cause
}

// markDone records an execution's response.
func (c *Call) markDone(i int, resp string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.executed[i].Response, c.executed[i].Done = resp, true
}

// endExec sets last_app and last_arg after an execution and wakes waiters.
func (c *Call) endExec(i int) {
	c.mu.Lock()
	c.setVarLocked("last_app", c.executed[i].App)
	c.setVarLocked("last_arg", c.executed[i].Args)
	c.mu.Unlock()
	c.s.bump()
}

// appHeaders adds Application, Application-Data, [Application-Response],
// Application-UUID.
func (x *Exec) appHeaders(resp string) func(ev *esl.Event) {
	return func(ev *esl.Event) {
		ev.Add("Application", x.App)
		if x.Args != "" {
			ev.Add("Application-Data", x.Args)
		}
		if resp != "" {
			ev.Add("Application-Response", resp)
		}
		ev.Add("Application-UUID", x.UUID)
	}
}

// Executed returns the applications run so far (including the running
// one): those sent with sendmsg and the dialplan's after the socket, not
// the socket application itself (see SocketState).
func (c *Call) Executed() []Execution {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Execution(nil), c.executed...)
}

// wait outcomes.
type waitResult int

const (
	waitTimeout waitResult = iota
	waitDigit
	waitHangup
	waitBreak
)

// digitMode says how a wait treats queued DTMF.
type digitMode int

const (
	// digitsIgnore leaves digits queued and keeps waiting.
	digitsIgnore digitMode = iota
	// digitsInterrupt ends the wait with waitDigit when a digit is queued.
	digitsInterrupt
	// digitsCollect is digitsInterrupt that also gives up at once
	// (waitTimeout) when the queue is empty and closed (CloseDTMF).
	digitsCollect
)

// wait blocks up to d (simulated time) until a digit is queued (per
// mode), the call hangs up, or uuid_break. Messages queued meanwhile run
// nested when the current app was not started with event-lock.
func (x *Exec) wait(d time.Duration, mode digitMode) waitResult {
	c := x.Call
	timer := time.NewTimer(c.s.opts.scale(d))
	defer timer.Stop()
	for {
		r, nested, ok := x.poll(mode)
		if ok {
			return r
		}
		if nested != nil {
			c.runMessage(nested, x.depth+1)
			continue
		}
		select {
		case <-c.kick:
		case <-timer.C:
			return waitTimeout
		}
	}
}

func (x *Exec) poll(mode digitMode) (waitResult, *message, bool) {
	c := x.Call
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.down || c.farCause != "":
		return waitHangup, nil, true
	case c.breakReq:
		c.breakReq = false
		return waitBreak, nil, true
	case mode != digitsIgnore && len(c.dtmf) > 0:
		return waitDigit, nil, true
	case mode == digitsCollect && c.dtmfClosed:
		return waitTimeout, nil, true
	}
	if !x.lock {
		if m := c.takeMessage(); m != nil {
			return 0, m, false
		}
	}
	return 0, nil, false
}

// Sleep waits d of simulated time; false if interrupted (hangup or break).
func (x *Exec) Sleep(d time.Duration) bool {
	return x.wait(d, digitsIgnore) == waitTimeout
}

// ReadDigit dequeues one DTMF digit (firing its DTMF event), waiting up to
// timeout of simulated time. ok is false on timeout, hangup or break.
func (x *Exec) ReadDigit(timeout time.Duration) (digit rune, ok bool) {
	if x.wait(timeout, digitsCollect) != waitDigit {
		return 0, false
	}
	d, ok := x.Call.popDigit()
	if ok {
		x.Call.fireDTMF(d)
	}
	return d, ok
}
