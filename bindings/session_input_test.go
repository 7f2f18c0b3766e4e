package bindings

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// longPrompt plays 3000 s simulated (30 s real at TimeScale 0.01): only a
// working break ends it within a test's deadline.
const longPrompt = `"silence_stream://3000000"`

// inputCallbackLua records every call as "<kind>:<digit>:<arg>;" in got
// and returns the next value of the global list `answers`.
const inputCallbackLua = `
	got, n = "", 0
	function on_input(s, kind, input, arg)
		n = n + 1
		got = got .. kind .. ":" .. input.digit .. ":" .. tostring(arg) .. ";"
		if s ~= session then error("not the session object") end
		return answers[n]
	end
`

// simRun is one script run on a simulated call.
type simRun struct {
	sim  *esltest.Server
	call *esltest.Call
	ctx  context.Context
	out  chan map[string]string
}

// startSim dials a call with digits queued up front into a loopback
// server running code, and returns before the script ends. The script's
// globals named in keys (and "error") come back on out.
func startSim(t *testing.T, env *testEnv, dtmf, code string, keys ...string) *simRun {
	t.Helper()
	sim := esltest.New(t, esltest.Options{TimeScale: 0.01, ParkConsumesDTMF: true})
	r := &simRun{sim: sim, out: make(chan map[string]string, 1)}
	var cancel context.CancelFunc
	r.ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	addr := serveScript(t, func(ctx context.Context, s *esl.Session) {
		r.out <- runInputScript(ctx, env, s, inputCallbackLua+code, keys)
	})
	r.call = sim.NewCall(esltest.CallOptions{DTMF: dtmf})
	if _, err := sim.Dial(r.ctx, addr, r.call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	return r
}

func runInputScript(ctx context.Context, env *testEnv, s *esl.Session, code string, keys []string) map[string]string {
	L := lua.NewState()
	defer L.Close()
	e := *env
	e.Context = func() context.Context { return ctx }
	L.SetGlobal("session", NewSession(L, e.runtime(), WrapSession(s, nil)))
	out := map[string]string{"error": ""}
	if err := L.DoString(code); err != nil {
		out["error"] = err.Error()
	}
	for _, k := range keys {
		out[k] = L.GetGlobal(k).String()
	}
	return out
}

// sendDuring queues digits once app runs.
func (r *simRun) sendDuring(t *testing.T, app, digits string) {
	t.Helper()
	if _, err := r.call.WaitExecuting(r.ctx, app); err != nil {
		t.Fatal(err)
	}
	r.call.SendDTMF(digits)
}

// result waits for the script's globals.
func (r *simRun) result(t *testing.T) map[string]string {
	t.Helper()
	select {
	case got := <-r.out:
		return got
	case <-r.ctx.Done():
		t.Fatal("script did not finish (prompt not interrupted?)")
	}
	return nil
}

// check compares globals.
func check(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}

// apiLines returns the api commands the simulator received that start
// with prefix, in order.
func apiLines(sim *esltest.Server, prefix string) []string {
	var out []string
	for _, c := range sim.Commands() {
		if strings.HasPrefix(c.Line, "api "+prefix) {
			out = append(out, strings.TrimPrefix(c.Line, "api "))
		}
	}
	return out
}

// TestInputCallbackBreaksStreamFile: the callback returns nil for the
// first digit (the prompt goes on) and "break" for the second, whose value
// is the global named by the 2nd argument: the prompt stops (uuid_break),
// streamFile returns 0 (as mod_lua's after a break) and the script goes on
// to its next line.
func TestInputCallbackBreaksStreamFile(t *testing.T) {
	r := startSim(t, &testEnv{}, "", `
		answers = {nil, "break"}
		blah = "args"
		session:answer()
		session:setInputCallback("on_input", "blah")
		res = session:streamFile(`+longPrompt+`)
		after = "reached"
	`, "got", "res", "after")
	r.sendDuring(t, "playback", "12")
	check(t, r.result(t), map[string]string{"got": "dtmf:1:args;dtmf:2:args;", "res": "0",
		"after": "reached", "error": ""})
	assertList(t, "breaks", apiLines(r.sim, "uuid_break"), []string{"uuid_break " + r.call.UUID()})
}

// TestInputCallbackFileCommand: "seek:+1000" goes to uuid_fileman and the
// prompt plays on until "stop".
func TestInputCallbackFileCommand(t *testing.T) {
	r := startSim(t, &testEnv{}, "", `
		answers = {"seek:+1000", "stop"}
		session:setInputCallback("on_input")
		session:streamFile(`+longPrompt+`)
		after = "reached"
	`, "got", "after")
	r.sendDuring(t, "playback", "34")
	check(t, r.result(t), map[string]string{"got": "dtmf:3:nil;dtmf:4:nil;", "after": "reached", "error": ""})
	uuid := r.call.UUID()
	assertList(t, "fileman", apiLines(r.sim, "uuid_fileman"), []string{"uuid_fileman " + uuid + " seek:+1000"})
	assertList(t, "breaks", apiLines(r.sim, "uuid_break"), []string{"uuid_break " + uuid})
}

// TestInputCallbackErrorStopsPrompt: a callback that raises is logged and
// stops the prompt (sleep returns 0, as mod_lua's); the script continues.
func TestInputCallbackErrorStopsPrompt(t *testing.T) {
	logger, buf := capture()
	r := startSim(t, &testEnv{Logger: logger}, "", `
		function boom() error("kaboom") end
		session:setInputCallback("boom")
		res = session:sleep(3000000)
		after = "reached"
	`, "res", "after")
	r.sendDuring(t, "sleep", "9")
	check(t, r.result(t), map[string]string{"res": "0", "after": "reached", "error": ""})
	if log := buf.String(); !strings.Contains(log, "input callback failed") || !strings.Contains(log, "kaboom") {
		t.Errorf("log = %s", log)
	}
	if len(apiLines(r.sim, "uuid_break")) != 1 {
		t.Errorf("uuid_break not sent once: %q", apiLines(r.sim, "uuid_break"))
	}
}

// TestStreamFileTypeAheadWithoutCallback: with no callback (never set, or
// unset) a digit typed during streamFile is left for getDigits.
func TestStreamFileTypeAheadWithoutCallback(t *testing.T) {
	r := startSim(t, &testEnv{}, "", `
		answers = {"break"}
		session:setInputCallback("on_input")
		session:unsetInputCallback()
		session:streamFile("silence_stream://100000")
		digits = session:getDigits(1, "", 5000)
	`, "got", "digits")
	r.sendDuring(t, "playback", "7")
	check(t, r.result(t), map[string]string{"got": "", "digits": "7", "error": ""})
	if len(apiLines(r.sim, "uuid_break")) != 0 {
		t.Error("uuid_break sent without a callback")
	}
}

// TestCollectDigits: without a callback collectDigits returns at once and
// leaves the digits; with one it feeds it until a stop value, and the
// digits after that stay queued.
func TestCollectDigits(t *testing.T) {
	r := startSim(t, &testEnv{}, "12#3", `
		answers = {nil, nil, "break"}
		session:answer()
		session:sleep(100)
		plain = session:collectDigits(600000)
		session:setInputCallback("on_input", "")
		res = session:collectDigits(600000)
		rest = session:getDigits(5, "", 200)
	`, "plain", "res", "got", "rest")
	check(t, r.result(t), map[string]string{"plain": "0", "res": "0", "rest": "3",
		"got": "dtmf:1:nil;dtmf:2:nil;dtmf:#:nil;", "error": ""})
}
