package bindings

import (
	"context"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// hungUpCompletion is an application's CHANNEL_EXECUTE_COMPLETE built after
// the channel's hangup began (FreeSWITCH then says Answer-State: hangup).
func hungUpCompletion(app, arg string) *esl.Event {
	ev := completion(app, arg, "_none_")
	ev.Add("Answer-State", "hangup")
	ev.Add("Hangup-Cause", "NORMAL_CLEARING")
	return ev
}

// A caller who hangs up during play_and_get_digits: FreeSWITCH may deliver
// the app's completion (which says Answer-State: hangup) before
// CHANNEL_HANGUP. ready() is false as soon as playAndGetDigits returns,
// before CHANNEL_HANGUP is read.
func TestSessionReadyFalseWhenTheCompletionSaysHangup(t *testing.T) {
	call := newFakeCall()
	call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
		return hungUpCompletion(app, arg), nil // CHANNEL_HANGUP not delivered yet
	}
	L := sessionState(t, &Env{}, call)
	run(t, L, `
		session:playAndGetDigits(1, 1, 3, 5000, "#", "ivr/menu.wav", "ivr/invalid.wav", "^[123]$", "ivr_choice")
		r = session:ready()
	`)
	if got := global(L, "r"); got != "false" {
		t.Fatalf("ready() after a completion saying Answer-State: hangup = %s, want false", got)
	}
}

// Any channel event saying Answer-State: hangup (here a CHANNEL_STATE read
// while waiting for a digit) ends the call for the session.
func TestSessionHangupSeenInAnyEvent(t *testing.T) {
	call := newFakeCall()
	st := esl.NewEvent("CHANNEL_CALLSTATE")
	st.Add("Unique-ID", testUUID)
	st.Add("Answer-State", "hangup")
	call.events <- st
	L := sessionState(t, &Env{}, call)
	run(t, L, `d, err = session:waitForDtmf(5000); r = session:ready()`)
	if d, err, r := global(L, "d"), global(L, "err"), global(L, "r"); d != "nil" || err != "hangup" || r != "false" {
		t.Fatalf("waitForDtmf = %s, %s; ready() = %s; want nil, hangup; false", d, err, r)
	}
}
