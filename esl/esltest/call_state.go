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
	c.answerState, c.callState = "answered", "ACTIVE"
	c.setVarLocked("answer_epoch", strconv.FormatInt(c.answeredAt.Unix(), 10))
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_ANSWER", nil)
	c.s.bump()
}

// preAnswer marks early media (CHANNEL_PROGRESS_MEDIA).
func (c *Call) preAnswer() {
	c.mu.Lock()
	if c.down || c.answerState != "ringing" {
		c.mu.Unlock()
		return
	}
	c.answerState, c.callState = "early", "EARLY"
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_PROGRESS_MEDIA", nil)
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
// NORMAL_CLEARING): CHANNEL_HANGUP, CHANNEL_UNPARK if parked,
// CHANNEL_HANGUP_COMPLETE, then controlling sockets get their linger or
// disconnect notice. It reports false if the call was already down.
func (c *Call) Hangup(cause string) bool {
	if cause == "" {
		cause = "NORMAL_CLEARING"
	}
	c.mu.Lock()
	if c.down {
		c.mu.Unlock()
		return false
	}
	c.down, c.hangupCause = true, cause
	c.state, c.stateNum, c.callState, c.answerState = "CS_HANGUP", 10, "HANGUP", "hangup"
	c.setVarLocked("hangup_cause", cause)
	parked := c.parked
	c.parked = false
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_HANGUP", nil)
	if parked {
		c.s.emitChannel(c, "CHANNEL_UNPARK", nil)
	}
	c.hangupComplete(cause)
	return true
}

func (c *Call) hangupComplete(cause string) {
	c.mu.Lock()
	c.state, c.stateNum = "CS_REPORTING", 11
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

// socketEnded runs when the controlling outbound socket closed: the socket
// app returns and, with no dialplan left, the call hangs up.
func (c *Call) socketEnded() {
	c.Hangup("NORMAL_CLEARING")
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
