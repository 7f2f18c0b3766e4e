package esltest

import (
	"strconv"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// callStateNumbers are switch_channel_callstate_t's values.
var callStateNumbers = map[string]int{"DOWN": 0, "DIALING": 1, "RINGING": 2, "EARLY": 3, "ACTIVE": 4,
	"HELD": 5, "RING_WAIT": 6, "HANGUP": 7, "UNHELD": 8}

// setState moves the channel to state (number num) and fires
// CHANNEL_STATE, as switch_channel_perform_set_running_state does.
func (c *Call) setState(state string, num int) {
	c.mu.Lock()
	c.state, c.stateNum = state, num
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_STATE", nil)
}

// setCallState changes the call state and fires CHANNEL_CALLSTATE with
// the state it had before.
func (c *Call) setCallState(cs string) {
	c.mu.Lock()
	old := c.callState
	c.callState = cs
	c.mu.Unlock()
	c.s.emitChannel(c, "CHANNEL_CALLSTATE", func(ev *esl.Event) {
		ev.Add("Original-Channel-Call-State", old)
		ev.Add("Channel-Call-State-Number", strconv.Itoa(callStateNumbers[cs]))
	})
}

// finishHangup runs on the session thread once a hung-up call has no
// application running: the park ends, the socket app returns, the state
// machine reaches CS_HANGUP and CS_REPORTING (CHANNEL_HANGUP_COMPLETE),
// and once no outbound socket holds the session any more (FreeSWITCH's
// listener keeps a read lock, so a socket never sees it) CHANNEL_DESTROY.
func (c *Call) finishHangup() {
	c.mu.Lock()
	parked := c.parked
	c.parked = false
	cause := c.hangupCause
	c.mu.Unlock()
	if parked {
		c.s.emitChannel(c, "CHANNEL_UNPARK", nil)
	}
	c.completeSocket()
	c.setState("CS_HANGUP", 10)
	c.setCallState("HANGUP")
	c.setState("CS_REPORTING", 11)
	c.hangupComplete(cause)
	for c.s.socketHolds(c) {
		<-c.kick
	}
	c.s.emitChannel(c, "CHANNEL_DESTROY", nil)
	c.setState("CS_DESTROY", 12)
}

// socketHolds reports whether an outbound connection of c is still open.
func (s *Server) socketHolds(c *Call) bool {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, cn := range conns {
		if cn.outbound && cn.Call() == c {
			return true
		}
	}
	return false
}

// appPark is the park application: the call is parked (CHANNEL_PARK) and
// runs queued messages until it hangs up, then CHANNEL_UNPARK. On a call
// that is parked or under a socket's control already it returns at once.
func appPark(x *Exec) string {
	c := x.Call
	c.mu.Lock()
	busy := c.parked || c.sock != nil
	c.mu.Unlock()
	if busy {
		return ""
	}
	c.park()
	mode := digitsIgnore
	if c.s.opts.ParkConsumesDTMF {
		mode = digitsInterrupt
	}
	for {
		switch x.wait(24*time.Hour, mode) {
		case waitHangup:
			c.unpark()
			return ""
		case waitDigit:
			if d, ok := c.popDigit(); ok {
				c.fireDTMF(d)
			}
		}
	}
}

// unpark ends a park (CHANNEL_UNPARK) if the call is parked.
func (c *Call) unpark() {
	c.mu.Lock()
	was := c.parked
	c.parked = false
	c.mu.Unlock()
	if was {
		c.s.emitChannel(c, "CHANNEL_UNPARK", nil)
	}
}

// setStateQuiet sets the state without an event.
func (c *Call) setStateQuiet(state string, num int) {
	c.mu.Lock()
	c.state, c.stateNum = state, num
	c.mu.Unlock()
}
