package bindings

import (
	"context"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

const testUUID = "c0ffee00-0000-4000-8000-000000000001"

// fakeCall records what the session object asks for and answers with
// scripted results.
type fakeCall struct {
	events chan *esl.Event
	hup    chan struct{}
	data   *esl.Event

	mu    sync.Mutex
	execs []string // "app|arg"
	apis  []string
	cause string

	// onExec, if set, answers Execute (default: a plain completion).
	onExec func(ctx context.Context, app, arg string) (*esl.Event, error)
	// onAPI, if set, answers API (default: "+OK").
	onAPI func(cmd string) (string, error)
}

func newFakeCall() *fakeCall {
	data := esl.NewEvent("CHANNEL_DATA")
	data.Add("Unique-ID", testUUID)
	data.Add("Channel-State", "CS_EXECUTE")
	data.Add("Answer-State", "ringing")
	data.Add("variable_sip_from_user", "1000")
	return &fakeCall{events: make(chan *esl.Event, 256), hup: make(chan struct{}), data: data}
}

func (f *fakeCall) UUID() string              { return testUUID }
func (f *fakeCall) ChannelData() *esl.Event   { return f.data }
func (f *fakeCall) Events() <-chan *esl.Event { return f.events }
func (f *fakeCall) HungUp() <-chan struct{}   { return f.hup }

func (f *fakeCall) HangupCause() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cause
}

func (f *fakeCall) Execute(ctx context.Context, app, arg string) (*esl.Event, error) {
	f.mu.Lock()
	f.execs = append(f.execs, app+"|"+arg)
	f.mu.Unlock()
	if f.onExec != nil {
		return f.onExec(ctx, app, arg)
	}
	return completion(app, arg, "_none_"), nil
}

func (f *fakeCall) API(_ context.Context, cmd string) (string, error) {
	f.mu.Lock()
	f.apis = append(f.apis, cmd)
	f.mu.Unlock()
	if f.onAPI != nil {
		return f.onAPI(cmd)
	}
	return "+OK", nil
}

func (f *fakeCall) recorded() (execs, apis []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.execs...), append([]string(nil), f.apis...)
}

// hangup simulates CHANNEL_HANGUP: the event, then HungUp closes.
func (f *fakeCall) hangup(cause string) {
	ev := esl.NewEvent("CHANNEL_HANGUP")
	ev.Add("Unique-ID", testUUID)
	ev.Add("Hangup-Cause", cause)
	ev.Add("Answer-State", "hangup")
	ev.Add("variable_uuid", testUUID) // FreeSWITCH's channel events carry every variable
	ev.Add("variable_last_dest", "ivr")
	f.events <- ev
	f.mu.Lock()
	f.cause = cause
	f.mu.Unlock()
	close(f.hup)
}

// completion builds a CHANNEL_EXECUTE_COMPLETE event.
func completion(app, arg, response string, vars ...string) *esl.Event {
	ev := esl.NewEvent("CHANNEL_EXECUTE_COMPLETE")
	ev.Add("Unique-ID", testUUID)
	ev.Add("Application", app)
	ev.Add("Application-Data", arg)
	ev.Add("Application-Response", response)
	for i := 0; i+1 < len(vars); i += 2 {
		ev.Add("variable_"+vars[i], vars[i+1])
	}
	return ev
}

// dtmf builds a DTMF event.
func dtmf(digit string) *esl.Event {
	ev := esl.NewEvent("DTMF")
	ev.Add("DTMF-Digit", digit)
	ev.Add("DTMF-Duration", "2000")
	return ev
}

// sessionState returns a state with `session` bound to a fake call.
func sessionState(t *testing.T, env *testEnv, call Call) *lua.LState {
	t.Helper()
	L := newTestState(t, env)
	L.SetGlobal("session", NewSession(L, runtimeOf(L), call))
	return L
}

// assertList compares recorded commands.
func assertList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s[%d]:\n got %q\nwant %q", what, i, got[i], want[i])
		}
	}
}
