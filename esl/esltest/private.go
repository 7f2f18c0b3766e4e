package esltest

import "github.com/eslscript/eslscript/esl"

// firePrivateCommand fires PRIVATE_COMMAND for a sendmsg the channel
// dequeued and parsed, as switch_ivr_parse_next_event does: the command's
// own headers first (Command is its whole header block as received), then
// the delivery headers and the channel data. Like FreeSWITCH, which parses
// the private events of a channel without media (not answered, no early
// media) in park's media-less loop without firing it, it fires only for a
// channel that had media when the message was dequeued (see runMessage),
// and not after a hangup. Only subscribers of
// PRIVATE_COMMAND get it (myevents does not include it).
func (c *Call) firePrivateCommand(m *message) {
	if m.cmd == nil || !c.Up() {
		return
	}
	s := c.s
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	ev := esl.NewEvent("PRIVATE_COMMAND")
	ev.Del("Event-Name")
	ev.Add("Command", m.cmd.raw)
	for _, h := range m.cmd.Headers {
		ev.Add(h.Name, h.Value)
	}
	ev.Add("Event-Name", "PRIVATE_COMMAND")
	s.addPrep(ev, origin{"switch_ivr.c", "switch_ivr_parse_next_event", 804})
	c.addChannelData(ev, true)
	if m.cmd.Body != "" {
		ev.SetBody(m.cmd.Body)
	}
	s.deliver(newWireEvent(ev))
}

// hasMedia reports whether the call is answered or has early media and is
// not hung up.
func (c *Call) hasMedia() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.down && (c.answerState == "answered" || c.answerState == "early")
}
