package bindings

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// legRig runs Lua call scripts with legs against the simulator: the A leg
// is an outbound session, legs attach through an inbound client.
type legRig struct {
	sim    *esltest.Server
	client *esl.Client
	addr   string
	code   string
	res    chan map[string]string
}

func newLegRig(t *testing.T, code string) *legRig {
	t.Helper()
	r := &legRig{sim: esltest.New(t, esltest.Options{TimeScale: 0.001}), code: code, res: make(chan map[string]string, 1)}
	c, err := esl.Dial(legCtx(t), r.sim.Addr(), esl.Options{Password: r.sim.Password()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	r.client = c
	r.addr = serveSessions(t, r.handle)
	return r
}

// legCtx is a test context with a deadline.
func legCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// handle runs the script for one call the way the host does: legs are
// allowed during the script and closed after it.
func (r *legRig) handle(ctx context.Context, s *esl.Session) {
	L := lua.NewState()
	defer L.Close()
	rt := (&testEnv{Context: func() context.Context { return ctx }, ESL: s.Conn}).runtime()
	NewRegistry().Preload(L, rt)
	L.SetGlobal("session", NewSession(L, rt, WrapSession(s, nil)))
	out := map[string]string{}
	L.SetGlobal("rec", L.NewFunction(func(L *lua.LState) int {
		out[L.CheckString(1)] = L.ToStringMeta(L.Get(2)).String()
		return 0
	}))
	SetLegDialer(L, r.client)
	if err := L.DoString(`freeswitch = require("freeswitch")` + "\n" + r.code); err != nil {
		out["error"] = err.Error()
	}
	rt.End()
	r.res <- out
}

// call starts an A leg and returns it.
func (r *legRig) call(t *testing.T) *esltest.Call {
	t.Helper()
	call := r.sim.NewCall(esltest.CallOptions{CallerIDNumber: "4005551234", CallerIDName: "Ann Smith"})
	if _, err := r.sim.Dial(legCtx(t), r.addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	return call
}

// result waits for the script's record.
func (r *legRig) result(t *testing.T) map[string]string {
	t.Helper()
	select {
	case out := <-r.res:
		if out["error"] != "" {
			t.Fatalf("script: %s", out["error"])
		}
		return out
	case <-legCtx(t).Done():
		t.Fatal("script did not finish")
	}
	return nil
}

// legCall returns the simulated call the script recorded under key.
func (r *legRig) legCall(t *testing.T, uuid string) *esltest.Call {
	t.Helper()
	c := r.sim.Call(uuid)
	if c == nil {
		t.Fatalf("no simulated call %q", uuid)
	}
	return c
}

func TestFreeswitchSessionOriginatePlayBridge(t *testing.T) {
	r := newLegRig(t, `
		local leg = freeswitch.Session("sofia/gateway/gw/1000", session)
		rec("ready", leg:ready())
		rec("uuid", leg:get_uuid())
		rec("chan", leg:getVariable("channel_name"))
		rec("played", leg:streamFile("b-leg.wav"))
		freeswitch.bridge(session, leg)
		rec("after", leg:ready())
		rec("cause", leg:hangupCause())`)
	a := r.call(t)
	ctx := legCtx(t)
	// originate ran on the call's socket with our variables
	cmd, err := r.sim.WaitCommand(ctx, "bgapi originate {origination_uuid=")
	if err != nil {
		t.Fatal(err)
	}
	// the leg calls with the A leg's caller id, as mod_lua's originate does
	if !strings.HasSuffix(cmd.Line, ",originate_timeout=60,origination_caller_id_number='4005551234',"+
		"origination_caller_id_name='Ann Smith'}sofia/gateway/gw/1000 &park()") {
		t.Fatalf("originate line %q", cmd.Line)
	}
	uuid := strings.TrimPrefix(strings.Fields(cmd.Line)[2], "{origination_uuid=")
	uuid, _, _ = strings.Cut(uuid, ",")
	if err := a.WaitVar(ctx, "bridge_uuid", uuid); err != nil {
		t.Fatal(err)
	}
	b := r.legCall(t, uuid)
	b.Hangup("NORMAL_CLEARING")
	out := r.result(t)
	want := map[string]string{"ready": "true", "uuid": uuid, "chan": "sofia/gateway/gw/1000", "played": "1",
		"after": "false", "cause": "SUCCESS"} // the originate's, as in mod_lua
	for k, w := range want {
		if out[k] != w {
			t.Errorf("%s = %q, want %q", k, out[k], w)
		}
	}
	x := withoutPark(b.Executed())
	if len(x) != 1 || x[0].App != "playback" || !strings.HasSuffix(x[0].Args, "b-leg.wav") {
		t.Fatalf("B leg executed %+v, want the playback", x)
	}
	if len(a.Executed()) != 0 {
		t.Fatalf("A leg executed %+v", a.Executed())
	}
}

func TestFreeswitchSessionOriginateFails(t *testing.T) {
	r := newLegRig(t, `
		local leg = freeswitch.Session("sofia/gateway/busy/1000")
		rec("ready", leg:ready())
		rec("cause", leg:hangupCause())
		rec("play", select(2, leg:streamFile("x.wav")))`)
	r.sim.FailDial("busy", "USER_BUSY")
	r.call(t)
	out := r.result(t)
	if out["ready"] != "false" || out["cause"] != "USER_BUSY" || out["play"] != "hangup" {
		t.Fatalf("failed leg: %v", out)
	}
	if n := len(r.sim.Calls()); n != 1 {
		t.Fatalf("%d calls, want only the A leg", n)
	}
}

func TestFreeswitchSessionAttachByUUID(t *testing.T) {
	other := ""
	r := newLegRig(t, `
		local leg = freeswitch.Session(argv_uuid)
		rec("ready", leg:ready())
		leg:execute("playback", "attached.wav")
		rec("var", leg:getVariable("mark"))`)
	c := r.sim.NewCall(esltest.CallOptions{Variables: map[string]string{"mark": "m1"}})
	other = c.UUID()
	r.code = "argv_uuid = '" + other + "'\n" + r.code
	if _, err := r.client.API(legCtx(t), "uuid_park "+other); err != nil {
		t.Fatal(err)
	}
	r.call(t)
	out := r.result(t)
	if out["ready"] != "true" || out["var"] != "m1" {
		t.Fatalf("attached leg: %v", out)
	}
	if x := c.Executed(); len(x) != 1 || x[0].App != "playback" || x[0].Args != "attached.wav" {
		t.Fatalf("executed %+v", x)
	}
	waitInboundConns(t, r.sim, 1)
	if !c.Up() {
		t.Fatal("an attached leg was hung up at the script's end")
	}
}

func TestFreeswitchSessionAutoHangup(t *testing.T) {
	r := newLegRig(t, `
		kept = freeswitch.Session("sofia/gateway/gw/2000")
		kept:setAutoHangup(false)
		rec("kept", kept.uuid)
		local dropped = freeswitch.Session("sofia/gateway/gw/1000")
		rec("dropped", dropped.uuid)`)
	r.call(t)
	out := r.result(t)
	kept, dropped := r.legCall(t, out["kept"]), r.legCall(t, out["dropped"])
	ctx := legCtx(t)
	if err := dropped.WaitHangup(ctx); err != nil || dropped.HangupCause() != "NORMAL_CLEARING" {
		t.Fatalf("originated leg at the script's end: %v, cause %q", err, dropped.HangupCause())
	}
	waitInboundConns(t, r.sim, 1)
	if !kept.Up() {
		t.Fatal("setAutoHangup(false) leg was hung up")
	}
}

// TestFreeswitchSessionNoLeak runs calls with legs and checks that no
// connection or goroutine is left once they ended.
func TestFreeswitchSessionNoLeak(t *testing.T) {
	r := newLegRig(t, `
		local leg = freeswitch.Session("sofia/gateway/gw/1000")
		leg:answer()
		local again = freeswitch.Session(leg.uuid)
		rec("same", again.uuid == leg.uuid)`)
	r.call(t)
	r.result(t)
	waitInboundConns(t, r.sim, 1)
	before := runtime.NumGoroutine()
	for range 3 {
		a := r.call(t)
		if out := r.result(t); out["same"] != "true" {
			t.Fatalf("out = %v", out)
		}
		if err := a.WaitHangup(legCtx(t)); err != nil {
			t.Fatal(err)
		}
	}
	waitInboundConns(t, r.sim, 1)
	pollUntil(t, "goroutines back to the baseline", func() bool { return runtime.NumGoroutine() <= before })
}

// waitInboundConns waits until exactly n inbound connections are open.
func waitInboundConns(t *testing.T, sim *esltest.Server, n int) {
	t.Helper()
	pollUntil(t, "inbound connections", func() bool {
		k := 0
		for _, c := range sim.Conns() {
			if !c.Outbound() {
				k++
			}
		}
		return k == n
	})
}

// pollUntil polls cond until it holds or the test deadline passes.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// freeswitch.Session() makes an empty leg; sess:originate(a_leg, dest,
// timeout) fills it (0 on success, 1 with the cause on failure).
func TestFreeswitchSessionEmptyThenOriginate(t *testing.T) {
	r := newLegRig(t, `
		local leg = freeswitch.Session()
		rec("empty", leg:ready())
		rec("ok", leg:originate(session, "user/1001", 25))
		rec("ready", leg:ready())
		rec("uuid", leg:get_uuid())
		leg:streamFile("hello.wav")
		local busy = freeswitch.Session()
		rec("busy", busy:originate(session, "sofia/gateway/busy/1000", 10))
		rec("cause", busy:hangupCause())
		rec("again", select(2, pcall(leg.originate, leg, session, "user/1002")))`)
	r.sim.FailDial("busy", "USER_BUSY")
	r.call(t)
	out := r.result(t)
	if out["empty"] != "false" || out["ok"] != "0" || out["ready"] != "true" || out["busy"] != "1" || out["cause"] != "USER_BUSY" {
		t.Fatalf("results: %v", out)
	}
	if !strings.Contains(out["again"], "already call") {
		t.Fatalf("originate on a live leg: %q", out["again"])
	}
	b := r.legCall(t, out["uuid"])
	if ex := withoutPark(b.Executed()); len(ex) == 0 || ex[0].App != "playback" {
		t.Fatalf("B leg executed %+v, want playback", ex)
	}
	var line string
	for _, c := range r.sim.Commands() {
		if c.Name() == "bgapi" && strings.Contains(c.Arg(), "user/1001") {
			line = c.Arg()
		}
	}
	if !strings.Contains(line, "originate_timeout=25,origination_caller_id_number='4005551234',") {
		t.Fatalf("originate sent %q, want the 25 s timeout", line)
	}
	if err := b.WaitHangup(legCtx(t)); err != nil { // auto-hangup at the end
		t.Fatalf("originated leg not hung up at the script's end: %v", err)
	}
}

// withoutPark drops the park application that originate's &park target
// runs on the leg (as on FreeSWITCH) from its executions.
func withoutPark(x []esltest.Execution) []esltest.Execution {
	var out []esltest.Execution
	for _, e := range x {
		if e.App != "park" {
			out = append(out, e)
		}
	}
	return out
}
