package esltest

import (
	"strings"
)

// dispatch runs one command like parse_command; false ends the connection.
func (c *Conn) dispatch(cmd Command) bool {
	line := strings.TrimSpace(cmd.Line)
	lower := strings.ToLower(line)
	if strings.HasPrefix(lower, "exit") || strings.HasPrefix(lower, "...") {
		c.reply("+OK bye")
		c.closeNormally()
		return false
	}
	if !c.Authenticated() {
		return c.dispatchAuth(cmd, lower)
	}
	if c.outbound && !c.firstDoneNow() {
		return c.firstOutbound(cmd)
	}
	if h := c.sessionHandler(cmd.Name()); h != nil {
		h(cmd)
		return true
	}
	if c.outbound && !c.full {
		c.reply("-ERR command not found")
		return true
	}
	if h := c.fullHandler(cmd.Name(), lower); h != nil {
		h(cmd)
		return true
	}
	c.reply("-ERR command not found")
	return true
}

// closeNormally drops queued events and ends with the goodbye notice.
func (c *Conn) closeNormally() {
	c.mu.Lock()
	c.events = nil
	c.mu.Unlock()
	c.setFinal(disconnectNotice(c.sessionUUID(), byeMessage))
}

// sessionHandler returns handlers allowed in every mode (including an
// outbound socket without "full").
func (c *Conn) sessionHandler(name string) func(Command) {
	switch name {
	case "filter":
		return c.cmdFilter
	case "resume":
		return c.cmdResume
	case "connect":
		return func(Command) {} // a second connect does nothing visible
	case "getvar":
		return c.cmdGetvar
	case "myevents":
		return c.cmdMyevents
	case "divert_events":
		return c.cmdDivert
	case "sendmsg":
		return c.cmdSendmsg
	}
	return nil
}

// fullHandler returns handlers refused on an outbound socket without full.
func (c *Conn) fullHandler(name, lower string) func(Command) {
	switch name {
	case "sendevent":
		return c.cmdSendevent
	case "api":
		return c.cmdAPI
	case "bgapi":
		return c.cmdBgapi
	case "linger":
		return c.cmdLinger
	case "nolinger":
		return c.cmdNolinger
	case "nolog":
		return c.cmdNolog
	case "event":
		return c.cmdEvent
	case "nixevent":
		return c.cmdNixevent
	case "noevents":
		return c.cmdNoevents
	}
	if strings.HasPrefix(lower, "log") {
		return c.cmdLog
	}
	return nil
}

func (c *Conn) firstDoneNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstDone
}
