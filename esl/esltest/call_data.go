package esltest

import (
	"strconv"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// emitChannel fires a channel event for c; extra (may be nil) adds the
// event-specific headers after the channel data.
func (s *Server) emitChannel(c *Call, name string, extra func(ev *esl.Event)) {
	s.emit(name, func(ev *esl.Event) {
		c.addChannelData(ev, varEvents[name])
		if extra != nil {
			extra(ev)
		}
	})
}

// addChannelData is switch_channel_event_set_data.
func (c *Call) addChannelData(ev *esl.Event, withVars bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	add := func(n, v string) {
		if v != "" {
			ev.Add(n, v)
		}
	}
	add("Channel-State", c.state)
	add("Channel-Call-State", c.callState)
	add("Channel-State-Number", strconv.Itoa(c.stateNum))
	add("Channel-Name", c.prof.ChannelName)
	add("Unique-ID", c.uuid)
	add("Call-Direction", c.direction)
	add("Presence-Call-Direction", c.direction)
	add("Channel-HIT-Dialplan", "true")
	add("Channel-Call-UUID", c.uuid)
	add("Answer-State", c.answerState)
	add("Hangup-Cause", c.hangupCause)
	for _, d := range []string{"Read", "Write"} {
		add("Channel-"+d+"-Codec-Name", "PCMU")
		add("Channel-"+d+"-Codec-Rate", "8000")
		add("Channel-"+d+"-Codec-Bit-Rate", "64000")
	}
	c.addProfile(ev, "Caller-")
	if withVars {
		c.addScopeHeaders(ev)
		for _, n := range c.varNames {
			add("variable_"+n, c.vars[n])
		}
	}
}

// addProfile writes the caller profile headers with prefix; c.mu held.
func (c *Call) addProfile(ev *esl.Event, prefix string) {
	p := c.prof
	micros := func(t time.Time) string {
		if t.IsZero() {
			return "0"
		}
		return strconv.FormatInt(t.UnixMicro(), 10)
	}
	pairs := []string{
		"Direction", c.direction, "Logical-Direction", c.direction, "Dialplan", "XML",
		"Caller-ID-Name", p.CallerIDName, "Caller-ID-Number", p.CallerIDNumber,
		"Orig-Caller-ID-Name", p.CallerIDName, "Orig-Caller-ID-Number", p.CallerIDNumber,
		"ANI", p.CallerIDNumber, "Destination-Number", p.Destination, "Unique-ID", c.uuid,
		"Source", "mod_sofia", "Context", p.Context, "Channel-Name", p.ChannelName,
		"Profile-Index", "1", "Profile-Created-Time", micros(c.created),
		"Channel-Created-Time", micros(c.created), "Channel-Answered-Time", micros(c.answeredAt),
		"Channel-Progress-Time", "0", "Channel-Progress-Media-Time", "0",
		"Channel-Hangup-Time", "0", "Channel-Transfer-Time", "0",
		"Channel-Resurrect-Time", "0", "Channel-Bridged-Time", "0",
		"Channel-Last-Hold", "0", "Channel-Hold-Accum", "0", "Screen-Bit", "true",
		"Privacy-Hide-Name", "false", "Privacy-Hide-Number", "false",
	}
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			ev.Add(prefix+pairs[i], pairs[i+1])
		}
	}
}

// connectReply is the outbound `connect` reply: a CHANNEL_DATA event used
// as a header block, with Content-Type etc. at the end, all URL-encoded and
// without Content-Length.
func (c *Call) connectReply(async, full bool) []byte {
	s := c.s
	ev := s.NewEvent("CHANNEL_DATA")
	c.mu.Lock()
	c.addProfile(ev, "Channel-")
	c.mu.Unlock()
	c.addChannelData(ev, true)
	mode, control := "static", "single-channel"
	if async {
		mode = "async"
	}
	if full {
		control = "full"
	}
	ev.Add("Content-Type", "command/reply")
	ev.Add("Reply-Text", "+OK\n")
	ev.Add("Socket-Mode", mode)
	ev.Add("Control", control)
	return ev.AppendPlain(nil)
}
