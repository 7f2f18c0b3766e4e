package bindings

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// collectPhase is where a FreeSWITCH-side digit collector stands on the
// call's event stream.
type collectPhase int

const (
	collectPending  collectPhase = iota // execute sent, CHANNEL_EXECUTE not seen
	collectRunning                      // between CHANNEL_EXECUTE and its COMPLETE
	collectFinished                     // its CHANNEL_EXECUTE_COMPLETE was seen
)

// collector follows a FreeSWITCH-side digit collector (play_and_get_digits,
// read) on the call's ordered event stream. FreeSWITCH fires a DTMF event
// when a digit is dequeued, so the stream splits the digits exactly: every
// DTMF event between the collector's CHANNEL_EXECUTE and its
// CHANNEL_EXECUTE_COMPLETE is a digit the collector dequeued itself, so it
// stays out of the host FIFO; DTMF events after the completion are
// type-ahead for the next read. Type-ahead already in the FIFO when the
// call starts is read on the host (see readTypeAhead); only digits the
// park dequeued in the instant between the execute and the app's start
// (their DTMF events come before its CHANNEL_EXECUTE, after the call
// began) are handed back to FreeSWITCH, marked sensitive (see handBack)
// so that they are not reported twice.
type collector struct {
	app     string
	phase   collectPhase
	appUUID string // Application-UUID of its CHANNEL_EXECUTE
	inject  string // type-ahead still to hand back
	// keepFIFO: the host FIFO is not handed back when the app starts (an
	// application run by session:execute, which may read no digits).
	keepFIFO bool
}

// consumes reports whether a DTMF event read now was dequeued by the
// collector (false for a nil collector).
func (c *collector) consumes() bool { return c != nil && c.phase == collectRunning }

// noteExecute starts a pending collector when its app's CHANNEL_EXECUTE is
// read: the whole host FIFO becomes the type-ahead to hand back.
func (s *luaSession) noteExecute(ev *esl.Event) {
	c := s.coll
	if c == nil || c.phase != collectPending || !strings.EqualFold(ev.Get("Application"), c.app) {
		return
	}
	c.phase, c.appUUID = collectRunning, ev.Get("Application-UUID")
	if c.keepFIFO {
		return
	}
	if len(s.dtmf) > 0 && !s.down {
		c.inject = strings.Join(s.dtmf, "")
	}
	s.dtmf = s.dtmf[:0]
}

// noteComplete ends a running collector at its CHANNEL_EXECUTE_COMPLETE.
func (c *collector) noteComplete(ev *esl.Event) {
	if c.consumes() && strings.EqualFold(ev.Get("Application"), c.app) && ev.Get("Application-UUID") == c.appUUID {
		c.phase = collectFinished
	}
}

// injectDue hands the type-ahead of a running collector back to
// FreeSWITCH, once.
func (s *luaSession) injectDue(*lua.LState) {
	c := s.coll
	if c == nil || c.inject == "" {
		return
	}
	digits := c.inject
	c.inject = ""
	if why := s.handBack(digits); why != "" {
		s.rt.logger().Warn("bindings: handing type-ahead back failed", append(runArgs(s.rt), "error", why)...)
	}
}

// handBack queues digits on the channel again ("uuid_recv_dtmf") with
// the channel variable sensitive_dtmf true around it (unless the call
// already has it): FreeSWITCH then marks them sensitive, and a sensitive
// digit fires no DTMF event and is not logged in the CDR when the app
// dequeues it, so consumers and CDRs see each digit once.
func (s *luaSession) handBack(digits string) string {
	already := s.vars != nil && isTrue(s.vars.Var("sensitive_dtmf"))
	if !already {
		if _, why := s.api("uuid_setvar " + s.uuid + " sensitive_dtmf true"); why != "" {
			return why
		}
		defer s.api("uuid_setvar " + s.uuid + " sensitive_dtmf")
	}
	_, why := s.api("uuid_recv_dtmf " + s.uuid + " " + digits)
	return why
}

// isTrue is FreeSWITCH's switch_true for the common spellings.
func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1", "enabled", "active", "allow":
		return true
	}
	return false
}
