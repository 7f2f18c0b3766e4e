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

// collector follows a FreeSWITCH-side digit collector (play_and_get_digits)
// on the call's ordered event stream. FreeSWITCH fires a DTMF event when a
// digit is dequeued, so the stream splits the digits exactly: every DTMF
// event before the collector's CHANNEL_EXECUTE was dequeued by something
// else (a playback, park) and is type-ahead, which the collector cannot see
// any more and is handed back to FreeSWITCH ("uuid_recv_dtmf") as soon as
// the CHANNEL_EXECUTE is read; every DTMF event between CHANNEL_EXECUTE and
// CHANNEL_EXECUTE_COMPLETE is a digit the collector dequeued itself, so it
// stays out of the host FIFO. DTMF events after the completion are
// type-ahead for the next read again.
type collector struct {
	app     string
	phase   collectPhase
	appUUID string // Application-UUID of its CHANNEL_EXECUTE
	inject  string // type-ahead still to hand back
}

// consumes reports whether a DTMF event read now was dequeued by the
// collector (false for a nil collector).
func (c *collector) consumes() bool { return c != nil && c.phase == collectRunning }

// noteExecute starts a pending collector when its app's CHANNEL_EXECUTE is
// read: the whole host FIFO becomes the type-ahead to hand back.
func (s *luaSession) noteExecute(ev *esl.Event) {
	c := s.coll
	if c == nil || c.phase != collectPending || ev.Get("Application") != c.app {
		return
	}
	c.phase, c.appUUID = collectRunning, ev.Get("Application-UUID")
	if len(s.dtmf) > 0 && !s.down {
		c.inject = strings.Join(s.dtmf, "")
	}
	s.dtmf = s.dtmf[:0]
}

// noteComplete ends a running collector at its CHANNEL_EXECUTE_COMPLETE.
func (c *collector) noteComplete(ev *esl.Event) {
	if c.consumes() && ev.Get("Application") == c.app && ev.Get("Application-UUID") == c.appUUID {
		c.phase = collectFinished
	}
}

// injectDue hands the type-ahead of a running collector back to
// FreeSWITCH with "uuid_recv_dtmf", once.
func (s *luaSession) injectDue(*lua.LState) {
	c := s.coll
	if c == nil || c.inject == "" {
		return
	}
	digits := c.inject
	c.inject = ""
	if _, why := s.api("uuid_recv_dtmf " + s.uuid + " " + digits); why != "" {
		s.env.logger().Warn("bindings: type-ahead re-injection failed", append(envArgs(s.env), "error", why)...)
	}
}
