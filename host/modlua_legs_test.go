package host

import (
	"context"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// modLuaLegs originates a B leg, plays to it and bridges it to the call,
// like FusionPBX's disa.callback.lua and FreeSWITCH's originate.lua.
const modLuaLegs = `local rec = require("rec")
session:answer()
local leg = freeswitch.Session("sofia/gateway/gw/" .. argv[1], session)
rec.put("leg", tostring(leg:ready()), leg:hangupCause(), leg.uuid)
if leg:ready() then
  leg:streamFile("hello.wav")
  freeswitch.bridge(session, leg)
end
rec.put("end", tostring(session:ready()))
`

// inboundConns counts the simulator's open inbound connections.
func inboundConns(sim *esltest.Server) int {
	n := 0
	for _, c := range sim.Conns() {
		if !c.Outbound() {
			n++
		}
	}
	return n
}

// waitInbound polls until the simulator has n inbound connections.
func waitInbound(t *testing.T, sim *esltest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for inboundConns(sim) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d inbound connections, want %d", inboundConns(sim), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestModLuaLegOriginateBridge(t *testing.T) {
	th := startHost(t, map[string]string{"mod_lua/callback.lua": modLuaLegs}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addSimNode(t, th, sim) // node "fs1": the default node of listener "main"
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/callback"})
	a := dialCall(t, sim, addr, map[string]string{ArgvVar: "1000"})
	got := th.rec.waitCount(t, "leg", 1)[0].vals[1:]
	assertVals(t, got[:2], "true", "SUCCESS") // the originate's cause, as mod_lua's
	b := sim.Call(got[2])
	if b == nil {
		t.Fatalf("no B leg %q in the simulator", got[2])
	}
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := a.WaitVar(ctx, "bridge_uuid", b.UUID()); err != nil {
		t.Fatal(err)
	}
	a.Hangup("NORMAL_CLEARING") // the caller leaves: bridge returns, the script ends
	th.obs.waitFor(t, "the session", func() bool { return th.obs.ended["mod_lua/callback/NORMAL_CLEARING"] == 1 })
	assertVals(t, th.rec.waitCount(t, "end", 1)[0].vals[1:], "false")
	if err := b.WaitHangup(ctx); err != nil || b.HangupCause() != "NORMAL_CLEARING" {
		t.Fatalf("B leg after the script: %v (cause %q), want auto hangup", err, b.HangupCause())
	}
	var apps []string
	for _, x := range b.Executed() {
		if x.App != "park" { // originate's &park target runs as an application, as on FreeSWITCH
			apps = append(apps, x.App+" "+x.Args)
		}
	}
	assertVals(t, apps, "playback hello.wav")
	waitInbound(t, sim, 1)
}

func TestModLuaLegOriginateBusy(t *testing.T) {
	th := startHost(t, map[string]string{"mod_lua/callback.lua": modLuaLegs}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	sim.FailDial("gw/busy", "USER_BUSY")
	addSimNode(t, th, sim)
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/callback"})
	dialCall(t, sim, addr, map[string]string{ArgvVar: "busy"})
	assertVals(t, th.rec.waitCount(t, "leg", 1)[0].vals[1:], "false", "USER_BUSY", "nil") // no uuid: nil
	th.obs.waitFor(t, "the session", func() bool { return th.obs.ended["mod_lua/callback/ok"] == 1 })
	if len(sim.Calls()) != 1 || inboundConns(sim) != 1 {
		t.Fatalf("%d calls, %d inbound connections after a failed originate", len(sim.Calls()), inboundConns(sim))
	}
}
