package esltest

import "strings"

// message is a queued sendmsg.
type message struct {
	command string // execute, hangup, ...
	app     string
	arg     string
	uuid    string // Event-UUID -> Application-UUID
	cause   string
	lock    bool // event-lock: true
	inline  bool // sync socket: runs even when not parked
	direct  bool // parsed at once by a sync socket: no PRIVATE_COMMAND
	done    chan struct{}
	cmd     *Command // the sendmsg, for PRIVATE_COMMAND (nil: internal)
}

func newMessage(cmd Command) *message {
	m := &message{
		command: strings.ToLower(cmd.Get("call-command")),
		app:     cmd.Get("execute-app-name"),
		arg:     cmd.Get("execute-app-arg"),
		uuid:    cmd.Get("Event-UUID"),
		cause:   cmd.Get("hangup-cause"),
		lock:    strings.EqualFold(cmd.Get("event-lock"), "true"),
		cmd:     &cmd,
	}
	if m.arg == "" && strings.EqualFold(cmd.Get("content-type"), "text/plain") {
		m.arg = cmd.Body
	}
	return m
}

// enqueue queues m; false if the call is already down (m is dropped).
func (c *Call) enqueue(m *message) bool {
	c.mu.Lock()
	if c.down {
		c.mu.Unlock()
		return false
	}
	c.msgs = append(c.msgs, m)
	c.mu.Unlock()
	c.kickPump()
	return true
}

// takeMessage pops the next runnable message; c.mu held.
func (c *Call) takeMessage() *message {
	for i, m := range c.msgs {
		if c.parked || m.inline {
			c.msgs = append(c.msgs[:i:i], c.msgs[i+1:]...)
			return m
		}
	}
	return nil
}

// pump is the call's session thread: it runs queued messages while
// parked, returns from the socket application when its connection ended,
// and after a hangup finishes the call (CHANNEL_HANGUP_COMPLETE) once no
// application runs any more.
func (c *Call) pump() {
	defer c.s.wg.Done()
	for {
		c.mu.Lock()
		down := c.down
		var m *message
		if !down {
			m = c.takeMessage()
		}
		sockEnd := m == nil && c.socketReturnDue()
		var digit rune
		var eat bool
		if m == nil && !sockEnd { // a message runs first; park dequeues only when idle
			digit, eat = c.parkDigit()
		}
		c.mu.Unlock()
		switch {
		case down:
			c.dropMessages()
			c.finishHangup()
			return
		case m != nil:
			c.runMessage(m, 1)
		case sockEnd:
			c.returnFromSocket()
		case eat:
			c.fireDTMF(digit)
		default:
			<-c.kick
		}
	}
}

// parkDigit dequeues a digit for an idle park when ParkConsumesDTMF is on;
// c.mu held.
func (c *Call) parkDigit() (rune, bool) {
	if !c.s.opts.ParkConsumesDTMF || !c.parked || c.down || len(c.dtmf) == 0 {
		return 0, false
	}
	d := c.dtmf[0]
	c.dtmf = c.dtmf[1:]
	return d, true
}

// dropMessages releases messages that can no longer run.
func (c *Call) dropMessages() {
	c.mu.Lock()
	msgs := c.msgs
	c.msgs = nil
	c.mu.Unlock()
	for _, m := range msgs {
		m.finish()
	}
}

func (m *message) finish() {
	if m.done != nil {
		close(m.done)
	}
}

// runMessage is switch_ivr_parse_event for one message (an unknown
// call-command does nothing), then, for a message that was queued, the
// PRIVATE_COMMAND of switch_ivr_parse_next_event.
func (c *Call) runMessage(m *message, depth int) {
	defer m.finish()
	media := c.hasMedia() // park parses without PRIVATE_COMMAND when it had none
	switch m.command {
	case "execute":
		c.exec(m.app, m.arg, m.uuid, m.lock, depth)
	case "hangup":
		c.Hangup(m.cause)
	case "extension": // originate's &app(arg): the app, then the end of the extension
		if m.app == "socket" { // its return ends the extension (returnFromSocket)
			c.s.socketApp(c, m.arg)
			break
		}
		c.exec(m.app, m.arg, m.uuid, m.lock, depth)
		c.Hangup("NORMAL_CLEARING")
	}
	if !m.direct && media {
		c.firePrivateCommand(m)
	}
}
