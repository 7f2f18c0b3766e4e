package esltest

import (
	"strconv"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Answer answers the call (CHANNEL_ANSWER), as the answer app does.
func (c *Call) Answer() {
	c.mu.Lock()
	if c.down || !c.answeredAt.IsZero() {
		c.mu.Unlock()
		return
	}
	c.answeredAt = time.Now()
	c.answerState = "answered"
	c.setVarLocked("answer_epoch", strconv.FormatInt(c.answeredAt.Unix(), 10))
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_ANSWER", nil)
	c.setCallState("ACTIVE")
	c.s.bump()
}

// preAnswer marks early media (CHANNEL_PROGRESS_MEDIA).
func (c *Call) preAnswer() {
	c.mu.Lock()
	if c.down || c.answerState != "ringing" {
		c.mu.Unlock()
		return
	}
	c.answerState = "early"
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_PROGRESS_MEDIA", nil)
	c.setCallState("EARLY")
}

// park parks the call (CHANNEL_PARK): queued messages start to run.
func (c *Call) park() {
	c.mu.Lock()
	if c.down || c.parked {
		c.mu.Unlock()
		return
	}
	c.parked = true
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_PARK", nil)
	c.kickPump()
}

// Hangup hangs the call up from the caller's side with cause (default
// NORMAL_CLEARING): CHANNEL_HANGUP at once; a running application then
// completes (its CHANNEL_EXECUTE_COMPLETE says Answer-State: hangup),
// CHANNEL_UNPARK fires if the call was parked, the socket application
// completes, then CHANNEL_HANGUP_COMPLETE, and controlling sockets get
// their linger or disconnect notice. It reports false if the call was
// already down. Done is closed after CHANNEL_HANGUP_COMPLETE.
func (c *Call) Hangup(cause string) bool {
	if cause == "" {
		cause = "NORMAL_CLEARING"
	}
	// The event lock is taken first so that CHANNEL_HANGUP is fired
	// before any event of what the hangup sets off (an application
	// ending, the session thread finishing the call) can be.
	c.s.emitMu.Lock()
	c.mu.Lock()
	if c.down {
		c.mu.Unlock()
		c.s.emitMu.Unlock()
		return false
	}
	c.down, c.hangupCause, c.farCause = true, cause, ""
	c.answerState = "hangup"
	c.setVarLocked("hangup_cause", cause)
	c.mu.Unlock()
	ev := c.s.newEventLocked("CHANNEL_HANGUP")
	c.addChannelData(ev, varEvents["CHANNEL_HANGUP"])
	c.s.deliver(newWireEvent(ev))
	c.s.emitMu.Unlock()
	c.endBridge()
	c.kickPump()
	c.s.bump()
	return true
}

// HangupAfterApp hangs the call up from a far end that loses its media
// first, as a loopback or a bridged peer does: the running application
// ends at once as if the call had hung up, its CHANNEL_EXECUTE_COMPLETE
// fires with the call still answered, and only then CHANNEL_HANGUP (with
// cause, default NORMAL_CLEARING) and the rest of Hangup. With no
// application running it is Hangup. Together with Hangup it lets a test
// choose either order FreeSWITCH produces. It reports false if the call
// was already down.
func (c *Call) HangupAfterApp(cause string) bool {
	if cause == "" {
		cause = "NORMAL_CLEARING"
	}
	c.mu.Lock()
	if c.down {
		c.mu.Unlock()
		return false
	}
	if c.running == 0 {
		c.mu.Unlock()
		return c.Hangup(cause)
	}
	c.farCause = cause
	c.mu.Unlock()
	c.kickPump()
	return true
}

// hangupComplete is the reporting state: CHANNEL_HANGUP_COMPLETE with the
// final variables, then the notices of controlling sockets.
func (c *Call) hangupComplete(cause string) {
	c.mu.Lock()
	end := time.Now()
	c.setVarLocked("end_epoch", strconv.FormatInt(end.Unix(), 10))
	c.setVarLocked("duration", strconv.Itoa(int(end.Sub(c.created).Seconds())))
	bill := 0
	if !c.answeredAt.IsZero() {
		bill = int(end.Sub(c.answeredAt).Seconds())
	}
	c.setVarLocked("billsec", strconv.Itoa(bill))
	c.mu.Unlock()
	s := c.s
	s.emitMu.Lock()
	ev := s.newEventLocked("CHANNEL_HANGUP_COMPLETE")
	ev.Add("Hangup-Cause", cause)
	c.addChannelData(ev, true)
	s.deliver(newWireEvent(ev))
	s.markSessionDown(c)
	s.emitMu.Unlock()
	close(c.ended)
	c.kickPump()
	s.bump()
}

// markSessionDown queues the channel-down marker on every connection that
// controls c, after the events already queued; emitMu held.
func (s *Server) markSessionDown(c *Call) {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, cn := range conns {
		if cn.Call() == c {
			cn.queueEvent(outItem{down: true})
		}
	}
}

// shutdown hangs up the call when the server closes.
func (c *Call) shutdown() {
	c.Hangup("SYSTEM_SHUTDOWN")
}

// transfer records a transfer to dest (uuid_transfer or the transfer app).
func (c *Call) transfer(dest string) {
	c.mu.Lock()
	c.transferTo = dest
	c.prof.Destination = dest
	c.mu.Unlock()
	c.s.bump()
}

// receivedEvent is an event queued to the call by sendevent.
type receivedEvent struct{ ev *esl.Event }

// ReceivedEvents returns the events queued to this call with sendevent
// (those carrying its Unique-ID), in order.
func (c *Call) ReceivedEvents() []*esl.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*esl.Event, len(c.received))
	for i, r := range c.received {
		out[i] = r.ev
	}
	return out
}
