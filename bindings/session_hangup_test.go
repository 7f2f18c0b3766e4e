package bindings

import (
	"context"
	"strings"
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
	L := sessionState(t, &testEnv{}, call)
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
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `d, err = session:waitForDtmf(5000); r = session:ready()`)
	if d, err, r := global(L, "d"), global(L, "err"), global(L, "r"); d != "nil" || err != "hangup" || r != "false" {
		t.Fatalf("waitForDtmf = %s, %s; ready() = %s; want nil, hangup; false", d, err, r)
	}
}

// One result per media call at the hangup, whatever order FreeSWITCH's
// events come in: nil, "hangup" when the hangup ended the application (its
// completion says Answer-State: hangup) or kept it from running (no
// completion); the application's own result when it completed before the
// hangup began.
func TestSessionMediaResultsAtHangup(t *testing.T) {
	calls := map[string]string{
		"streamFile":       `session:streamFile("ivr/menu.wav")`,
		"playAndGetDigits": `session:playAndGetDigits(1, 1, 3, 5000, "#", "ivr/menu.wav", "", "^[123]$")`,
		"execute":          `session:execute("playback", "ivr/menu.wav")`,
		"recordFile":       `session:recordFile("/tmp/x.wav", 10)`,
	}
	for name, expr := range calls {
		for _, c := range []struct {
			how        string
			exec       func(app, arg string) (*esl.Event, error)
			want, err  string
			readyAfter string
		}{
			{"ended by the hangup", func(app, arg string) (*esl.Event, error) { return hungUpCompletion(app, arg), nil },
				"nil", "hangup", "false"},
			{"never ran", func(string, string) (*esl.Event, error) { return nil, esl.ErrHangup },
				"nil", "hangup", "false"},
			{"done before the hangup", func(app, arg string) (*esl.Event, error) { return completion(app, arg, "_none_"), nil },
				map[string]string{"streamFile": "1", "playAndGetDigits": "", "execute": "true", "recordFile": "1"}[name], "nil", "false"},
		} {
			t.Run(name+"/"+c.how, func(t *testing.T) {
				call := newFakeCall()
				call.onExec = func(_ context.Context, app, arg string) (*esl.Event, error) {
					ev, err := c.exec(app, arg)
					call.hangup("NORMAL_CLEARING") // CHANNEL_HANGUP comes after the completion
					return ev, err
				}
				L := sessionState(t, &testEnv{}, call)
				run(t, L, "r, err = "+expr+"; ready = session:ready()")
				if r, err, ready := global(L, "r"), global(L, "err"), global(L, "ready"); r != c.want || err != c.err || ready != c.readyAfter {
					t.Fatalf("got %q, %s (ready %s), want %q, %s (ready %s)", r, err, ready, c.want, c.err, c.readyAfter)
				}
			})
		}
	}
}

// After the hangup getVariable answers from the call's last known
// variables, as FreeSWITCH looks names up (caller profile fields such as
// caller_id_number included), even when the last events of the call carry
// no variables (CHANNEL_STATE) or are not the channel's (a BACKGROUND_JOB).
func TestSessionVariablesAfterHangup(t *testing.T) {
	call := newFakeCall()
	hup := esl.NewEvent("CHANNEL_HANGUP")
	for _, kv := range [][2]string{{"Unique-ID", testUUID}, {"Answer-State", "hangup"},
		{"Caller-Caller-ID-Number", "4005551234"}, {"variable_uuid", testUUID}, {"variable_ivr_choice", "2"}} {
		hup.Add(kv[0], kv[1])
	}
	state := esl.NewEvent("CHANNEL_STATE")
	state.Add("Unique-ID", testUUID)
	state.Add("Channel-State", "CS_REPORTING")
	job := esl.NewEvent("BACKGROUND_JOB")
	job.Add("Job-Owner-UUID", testUUID)
	for _, ev := range []*esl.Event{hup, state, job} {
		call.events <- ev
	}
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		cid = session:getVariable("caller_id_number")
		choice = session:getVariable("ivr_choice")
		from = session:getVariable("sip_from_user")
		none, err = session:getVariable("nope")
	`)
	want := map[string]string{"cid": "4005551234", "choice": "2", "from": "nil", "none": "nil", "err": "hangup"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

// A value with a line break survives setVariable: it goes in the body of an
// "execute set" (an api command line cannot carry it); one that set would
// alter ($, \) fails loudly.
func TestSessionSetVariableMultiline(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	run(t, L, `
		ok = session:setVariable("note", "line 1\nline 2")
		bad, err = session:setVariable("note", "cost: ${price}\nthanks")
		plain = session:setVariable("plain", "a b")
	`)
	execs, apis := call.recorded()
	assertList(t, "execs", execs, []string{"set|note=line 1\nline 2"})
	assertList(t, "apis", apis, []string{"uuid_setvar " + testUUID + " plain 'a b'"})
	if ok, bad, err := global(L, "ok"), global(L, "bad"), global(L, "err"); ok != "true" || bad != "nil" || !strings.Contains(err, "line break") {
		t.Fatalf("setVariable = %s; with $: %s, %s", ok, bad, err)
	}
}
