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

// At the hangup an Execute whose application FreeSWITCH had started waits
// for its completion (FreeSWITCH sends one once the application sees the
// hangup) instead of failing: its result does not depend on whether the
// completion or CHANNEL_HANGUP arrives first.
func TestOutboundExecuteStartedBeforeHangupGetsItsCompletion(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	type result struct {
		ev  *Event
		err error
	}
	res := make(chan result, 1)
	go func() {
		ev, err := s.Execute(context.Background(), "playback", "x")
		res <- result{ev, err}
	}()
	id := f.execute()["event-uuid"]
	f.event(obSetHeader(fx.eventBody(t, "CHANNEL_EXECUTE", 1), "Application-UUID", id))
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	obWait(t, s.HungUp())
	f.event(obSetHeader(fx.eventBody(t, "CHANNEL_EXECUTE_COMPLETE", 2), "Application-UUID", id))
	r := obWait(t, res)
	if r.err != nil || r.ev.Get("Application-UUID") != id || !HungUpEvent(r.ev) {
		t.Fatalf("Execute = %v, %v; want the hung-up completion", r.ev, r.err)
	}
	obEndSession(t, f, h, s.UUID())
}
