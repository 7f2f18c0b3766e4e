package esltest

import (
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// firstOutbound handles the first command of an outbound socket: connect
// gets the CHANNEL_DATA reply; anything else runs but its reply is lost.
func (c *Conn) firstOutbound(cmd Command) bool {
	c.mu.Lock()
	c.firstDone = true
	c.connected = cmd.Name() == "connect"
	call, async, full := c.call, c.async, c.full
	c.mu.Unlock()
	if cmd.Name() == "connect" {
		c.queueReply(call.connectReply(async, full))
		return true
	}
	c.mu.Lock()
	c.discard = true
	c.mu.Unlock()
	keep := c.dispatch(cmd)
	c.mu.Lock()
	c.discard = false
	c.mu.Unlock()
	return keep
}

// armPark parks an async outbound call once the client subscribed or sent
// its first sendmsg (FreeSWITCH parks shortly after connect).
func (c *Conn) armPark() {
	c.mu.Lock()
	arm := c.outbound && c.async && c.connected && !c.parkArmed
	c.parkArmed = c.parkArmed || arm
	call := c.call
	c.mu.Unlock()
	if arm {
		call.park()
	}
}

func (c *Conn) cmdGetvar(cmd Command) {
	call := c.Call()
	if call == nil {
		c.reply("-ERR command not found")
		return
	}
	v := call.Var(cmd.Arg())
	if v == "" {
		c.reply("-ERR command not found")
		return
	}
	c.reply(v)
}

func (c *Conn) cmdResume(Command) {
	call := c.Call()
	if call == nil {
		c.reply("-ERR command not found")
		return
	}
	call.SetVar("socket_resume", "true")
	c.reply("+OK")
}

// cmdMyevents: outbound "myevents [fmt]", inbound "myevents <uuid>".
func (c *Conn) cmdMyevents(cmd Command) {
	call := c.Call()
	if call == nil {
		id, _, _ := strings.Cut(cmd.Arg(), " ")
		if call = c.s.liveCall(id); call == nil {
			c.reply("-ERR invalid uuid")
			return
		}
	}
	c.mu.Lock()
	if c.myevents {
		c.mu.Unlock()
		c.reply("-ERR aready enabled.")
		return
	}
	if c.call == nil {
		c.call = call
	} else if f, ok := myeventsFormat(cmd.Line); ok {
		c.format = f
	}
	c.myevents = true
	c.subs.add(myEventNames)
	c.mu.Unlock()
	c.reply("+OK Events Enabled")
	c.armPark()
}

func myeventsFormat(line string) (f esl.Format, ok bool) {
	l := strings.ToLower(line)
	switch {
	case strings.Contains(l, "json"):
		return esl.FormatJSON, true
	case strings.Contains(l, "xml"):
		return esl.FormatXML, true
	}
	return esl.FormatPlain, false
}

func (c *Conn) cmdDivert(cmd Command) {
	if c.Call() == nil {
		c.reply("-ERR not controlling a session.")
		return
	}
	arg := strings.ToLower(cmd.Arg())
	if arg == "" {
		c.reply("-ERR missing value.")
		return
	}
	on := arg == "on" || arg == "true" || arg == "yes"
	c.mu.Lock()
	c.divert = on
	c.mu.Unlock()
	if on {
		c.reply("+OK events diverted")
	} else {
		c.reply("+OK events not diverted")
	}
}

// cmdLinger: "linger [secs]"; without a number it lingers forever (-1).
func (c *Conn) cmdLinger(cmd Command) {
	if c.Call() == nil {
		c.reply("-ERR not controlling a session")
		return
	}
	secs := -1
	if n, err := strconv.Atoi(cmd.Arg()); err == nil && n > 0 {
		secs = n
	}
	c.mu.Lock()
	c.linger, c.lingerSecs = true, secs
	c.mu.Unlock()
	if secs > 0 {
		c.reply("+OK will linger " + itoa(secs) + " seconds")
		return
	}
	c.reply("+OK will linger")
}

func (c *Conn) cmdNolinger(Command) {
	if c.Call() == nil {
		c.reply("-ERR not controlling a session")
		return
	}
	c.mu.Lock()
	c.linger = false
	c.mu.Unlock()
	c.reply("+OK will not linger")
}

// cmdSendmsg queues a message on the target call. On the own session of a
// sync (not async) socket without "async: true" the reply waits until the
// application finished.
func (c *Conn) cmdSendmsg(cmd Command) {
	own := c.Call()
	target := cmd.Arg()
	if target == "" {
		target = cmd.Get("session-id")
	}
	call := own
	if target != "" {
		call = c.s.liveCall(target)
	}
	if call == nil {
		c.reply("-ERR invalid session id [" + target + "]")
		return
	}
	m := newMessage(cmd)
	c.mu.Lock()
	async := c.async || !c.outbound
	c.mu.Unlock()
	m.inline = call != own || !async
	if call == own && !async && !strings.EqualFold(cmd.Get("async"), "true") {
		m.done, m.direct = make(chan struct{}), true
	}
	if call.enqueue(m) && m.done != nil {
		<-m.done
	}
	c.reply("+OK")
	if call == own {
		c.armPark()
	}
}
