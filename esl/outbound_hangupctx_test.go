package esl

import (
	"context"
	"errors"
	"testing"
)

func TestOutboundHangupContextOnHangup(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	hctx := s.HangupContext()
	if hctx.Err() != nil {
		t.Fatal("hangup context cancelled before the hangup")
	}
	ctx := obWait(t, h.ctxs)
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	obWait(t, hctx.Done())
	if cause := context.Cause(hctx); !errors.Is(cause, ErrHangup) {
		t.Errorf("cause %v, want ErrHangup", cause)
	}
	if ctx.Err() != nil {
		t.Error("the handler's context ended at the hangup, want at the socket's end")
	}
	obEndSession(t, f, h, s.UUID())
	obWait(t, ctx.Done())
}

// TestOutboundSocketEndRunsHook checks the reader's end hook: when the
// socket ends, Done is closed first, then HungUp and the handler's context.
func TestOutboundSocketEndRunsHook(t *testing.T) {
	f, s, h, _ := obLiveSession(t, &Server{})
	ctx := obWait(t, h.ctxs)
	f.nc.Close()
	obWait(t, s.HungUp())
	select {
	case <-s.Done():
	default:
		t.Error("HungUp closed before Done")
	}
	if cause := context.Cause(s.HangupContext()); !errors.Is(cause, ErrConnLost) || errors.Is(cause, ErrHangup) {
		t.Errorf("cause %v, want ErrConnLost", cause)
	}
	obWait(t, ctx.Done())
	h.run <- func(context.Context, *Session) {}
}
