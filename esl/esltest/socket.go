package esltest

// SocketState is where a call is with the socket application (see
// Server.Dial).
type SocketState int

const (
	// SocketNone: the call was never dialed to a socket.
	SocketNone SocketState = iota
	// SocketRunning: the socket application runs.
	SocketRunning
	// SocketStuck: the connection ended before the call was parked (async
	// mode); the call stays parked in the socket application until it
	// hangs up, as on FreeSWITCH.
	SocketStuck
	// SocketReturned: the socket application returned with the call up:
	// the dialplan continued (CallOptions.AfterSocket, then the hangup).
	SocketReturned
	// SocketHungUp: the call hung up while in the socket application.
	SocketHungUp
)

var socketStates = [...]string{"none", "running", "stuck", "returned", "hung up"}

// String names the state ("returned").
func (s SocketState) String() string { return socketStates[s] }

// SocketState reports where the call is with the socket application.
func (c *Call) SocketState() SocketState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sockState
}

// socketRun is the socket dialplan application running on a call (see
// Server.Dial): the call stays in it while an outbound socket controls it.
// It is not listed in Call.Executed.
type socketRun struct {
	x     *Exec
	async bool // "async": the call is parked while the socket runs
	ended bool // the socket connection ended (or never connected)
	stuck bool // it ended before the park: the call stays parked in the app
}

// startSocket starts the socket application on c (CHANNEL_EXECUTE).
func (c *Call) startSocket(data string, async bool) {
	x := &Exec{Call: c, App: "socket", Args: data, UUID: newUUID()}
	c.mu.Lock()
	c.sock = &socketRun{x: x, async: async}
	c.sockState = SocketRunning
	c.setVarLocked("current_application", x.App)
	c.setVarLocked("current_application_data", x.Args)
	c.setVarLocked("current_application_response", "")
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_EXECUTE", x.appHeaders(""))
	c.s.bump()
}

// socketEnded tells the call's session thread that its socket connection
// ended; the thread then returns from the socket application.
func (c *Call) socketEnded() {
	c.mu.Lock()
	if c.sock != nil {
		c.sock.ended = true
	}
	c.mu.Unlock()
	c.kickPump()
}

// socketFailed ends a socket application whose connection could not be
// made: it never parked the call, so it returns at once whatever its mode.
func (c *Call) socketFailed() {
	c.mu.Lock()
	if c.sock != nil {
		c.sock.async = false
	}
	c.mu.Unlock()
	c.socketEnded()
}

// socketReturnDue reports whether the socket application must return now;
// c.mu held.
func (c *Call) socketReturnDue() bool {
	return c.sock != nil && c.sock.ended && !c.sock.stuck && !c.down
}

// returnFromSocket is the end of socket_function once the listener ended
// with the call up. In async mode a socket that ended before the call was
// parked leaves it parked for good: FreeSWITCH's park takes control after
// the listener gave it up, and nothing releases it but a hangup or a
// transfer. Otherwise the park (if any) ends (CHANNEL_UNPARK), messages
// still queued run, the socket app completes and the dialplan continues
// with CallOptions.AfterSocket; then the extension is done and the call
// hangs up with NORMAL_CLEARING.
func (c *Call) returnFromSocket() {
	c.mu.Lock()
	if c.sock.async && !c.parked {
		c.sock.stuck = true
		c.sockState = SocketStuck
		c.mu.Unlock()
		c.park()
		c.s.bump()
		return
	}
	parked := c.parked
	c.parked = false
	after := c.prof.AfterSocket
	c.sockState = SocketReturned
	c.mu.Unlock()
	if parked {
		c.s.emitChannel(c, "CHANNEL_UNPARK", nil)
	}
	c.runQueued()
	c.completeSocket()
	for _, a := range after {
		if !c.Up() {
			break
		}
		c.exec(a.App, a.Args, "", false, 1)
	}
	c.Hangup("NORMAL_CLEARING")
}

// runQueued runs every queued message, parked or not, as
// switch_ivr_parse_all_events does when the park ends.
func (c *Call) runQueued() {
	for {
		c.mu.Lock()
		var m *message
		if len(c.msgs) > 0 && !c.down {
			m = c.msgs[0]
			c.msgs = c.msgs[1:]
		}
		c.mu.Unlock()
		if m == nil {
			return
		}
		c.runMessage(m, 1)
	}
}

// completeSocket fires the socket application's CHANNEL_EXECUTE_COMPLETE,
// if it is running.
func (c *Call) completeSocket() {
	c.mu.Lock()
	sk := c.sock
	c.sock = nil
	if sk != nil && c.down {
		c.sockState = SocketHungUp
	}
	c.mu.Unlock()
	if sk == nil {
		return
	}
	c.s.emitChannel(c, "CHANNEL_EXECUTE_COMPLETE", sk.x.appHeaders(c.appResponse()))
	c.s.bump()
}

// appResponse is current_application_response, "_none_" when unset.
func (c *Call) appResponse() string {
	if r := c.Var("current_application_response"); r != "" {
		return r
	}
	return "_none_"
}
