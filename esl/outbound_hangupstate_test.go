package esl

import (
	"context"
	"errors"
	"testing"
)

// An event built after the hangup began (here the real capture's socket
// CHANNEL_EXECUTE_COMPLETE, Answer-State: hangup) ends the call even when
// it is delivered before CHANNEL_HANGUP.
func TestOutboundHangupSeenInAHungUpEvent(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	obWait(t, h.ctxs)
	body := fx.eventBody(t, "CHANNEL_EXECUTE_COMPLETE", 2)
	if ev, err := ParseEvent(FormatPlain, []byte(body)); err != nil || !HungUpEvent(ev) {
		t.Fatalf("fixture event: %v, Answer-State %q", err, ev.Get("Answer-State"))
	}
	f.event(body)
	obWait(t, s.HungUp())
	if cause := context.Cause(s.HangupContext()); !errors.Is(cause, ErrHangup) {
		t.Errorf("cause %v, want ErrHangup", cause)
	}
	if got := s.HangupCause(); got != "NORMAL_CLEARING" {
		t.Errorf("HangupCause = %q, want NORMAL_CLEARING", got)
	}
	obEndSession(t, f, h, s.UUID())
}
