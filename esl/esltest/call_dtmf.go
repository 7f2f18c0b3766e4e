package esltest

import "github.com/eslscript/eslscript/esl"

// SendDTMF queues digits on the call as if the caller pressed them
// (uuid_recv_dtmf). DTMF events fire when an application dequeues them.
func (c *Call) SendDTMF(digits string) {
	c.mu.Lock()
	c.dtmf = append(c.dtmf, []rune(digits)...)
	c.mu.Unlock()
	c.kickPump()
}

// CloseDTMF declares that no more digits will come: applications waiting
// for digits give up at once instead of running into their timeouts.
func (c *Call) CloseDTMF() {
	c.mu.Lock()
	c.dtmfClosed = true
	c.mu.Unlock()
	c.kickPump()
}

// PendingDTMF returns the digits queued but not read yet.
func (c *Call) PendingDTMF() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.dtmf)
}

func (c *Call) flushDTMF() {
	c.mu.Lock()
	c.dtmf = nil
	c.mu.Unlock()
}

// hasDigit reports whether a digit is queued.
func (c *Call) hasDigit() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.dtmf) > 0
}

func (c *Call) popDigit() (rune, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.dtmf) == 0 {
		return 0, false
	}
	d := c.dtmf[0]
	c.dtmf = c.dtmf[1:]
	return d, true
}

// fireDTMF fires the DTMF event for a dequeued digit.
func (c *Call) fireDTMF(d rune) {
	c.s.emitChannel(c, "DTMF", func(ev *esl.Event) {
		ev.Add("DTMF-Digit", string(d))
		ev.Add("DTMF-Duration", "2000")
		ev.Add("DTMF-Source", "UNKNOWN")
	})
}
