package host

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// serve starts an outbound listener on a free port and returns its
// address; its ServeOutbound error arrives on the returned channel.
func (th *testHost) serve(t *testing.T, lo ListenerOptions) (string, <-chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	errc := make(chan error, 1)
	go func() { errc <- th.ServeOutbound(ctx, l, lo) }()
	return l.Addr().String(), errc
}

// dial connects a new simulated call to addr ("socket addr async full").
func dialCall(t *testing.T, sim *esltest.Server, addr string, vars map[string]string) *esltest.Call {
	t.Helper()
	call := sim.NewCall(esltest.CallOptions{Variables: vars})
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
	return call
}

const ivrScript = `local rec = require("rec")
return { session = function(s)
  s:answer()
  rec.put("ivr", s:getVariable("destination_number") or "?")
end }
`

func TestOutboundCallRunsScript(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": ivrScript}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	call := dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "ivr", 1)
	th.obs.waitFor(t, "session end", func() bool { return th.obs.ended["ivr/ok"] == 1 })
	if !call.Answered() {
		t.Fatal("the script's answer did not reach the call")
	}
}

func TestOutboundScriptVariableAndNoScript(t *testing.T) {
	other := `local rec = require("rec")
return { session = function(s) rec.put("other", s:getVariable("eslscript_script")) end }
`
	th := startHost(t, map[string]string{"ivr.lua": ivrScript, "other.lua": other}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	dialCall(t, sim, addr, map[string]string{ScriptVar: "other"})
	if got := th.rec.waitCount(t, "other", 1)[0].vals[1]; got != "other" {
		t.Fatalf("other script saw eslscript_script=%q", got)
	}
	dialCall(t, sim, addr, map[string]string{ScriptVar: "nope"})
	th.obs.waitFor(t, "no_script rejection", func() bool { return th.obs.rejected["main/no_script"] == 1 })
	if n := len(th.rec.matching("ivr")); n != 0 {
		t.Fatalf("default script ran %d times for a call naming another", n)
	}
}

const holdScript = `local rec = require("rec")
return { session = function(s)
  rec.put("start", %q)
  local ok = rec.wait("release")
  rec.put("end", %q, tostring(ok), tostring(s:ready()))
end }
`

func TestLiveCallKeepsItsGeneration(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": fmt.Sprintf(holdScript, "g1", "g1")}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "start", 1)
	g1 := th.Generation()

	th.write(t, "ivr.lua", fmt.Sprintf(holdScript, "g2", "g2"))
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	dialCall(t, sim, addr, nil)
	if got := th.rec.waitCount(t, "start", 2)[1].vals[1]; got != "g2" {
		t.Fatalf("call after reload ran %s, want g2", got)
	}
	if st := th.Status(); st.Generation != 2 || st.Scripts[0].LiveCalls != 2 {
		t.Fatalf("status: generation %d, live calls %d; want 2 and 2", st.Generation, st.Scripts[0].LiveCalls)
	}
	if !g1.retired() || g1.isIdle() || g1.liveCalls() != 1 {
		t.Fatalf("gen 1: retired=%v idle=%v refs=%d, want retired, pinned by one call", g1.retired(), g1.isIdle(), g1.liveCalls())
	}
	close(th.rec.gate("release"))
	ends := th.rec.waitCount(t, "end", 2)
	if countByGen(ends, "g1") != 1 || countByGen(ends, "g2") != 1 {
		t.Fatalf("ends = %v, want one call per generation", ends)
	}
	th.obs.waitFor(t, "both sessions end", func() bool { return th.obs.ended["ivr/ok"] == 2 })
	if !g1.isIdle() {
		t.Fatal("gen 1 still pinned after its call ended")
	}
}

func TestOutboundMaxCallsAndAllow(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": fmt.Sprintf(holdScript, "g1", "g1")}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "capped", Script: "ivr", MaxCalls: 1})
	dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "start", 1)
	dialCall(t, sim, addr, nil)
	th.obs.waitFor(t, "max_calls rejection", func() bool { return th.obs.rejected["capped/max_calls"] == 1 })

	denied, _ := th.serve(t, ListenerOptions{Name: "acl", Script: "ivr", Allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	dialCall(t, sim, denied, nil)
	th.obs.waitFor(t, "not_allowed rejection", func() bool { return th.obs.rejected["acl/not_allowed"] == 1 })
	close(th.rec.gate("release"))
	if n := len(th.rec.waitCount(t, "end", 1)); n != 1 {
		t.Fatalf("%d calls ran, want 1", n)
	}
}

// mediaHoldScript holds its call in a media wait (which the hangup ends,
// unlike a non-media wait such as rec.wait: those run until the budget).
const mediaHoldScript = `local rec = require("rec")
return { session = function(s)
  rec.put("start")
  local d, err = s:waitForDtmf()
  rec.put("end", "", tostring(d or err), tostring(s:ready()))
end }
`

func TestShutdownHangsUpCallsThatOutliveTheDrain(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": mediaHoldScript}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, errc := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	call := dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "start", 1)

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no time to drain: hang up at once
	if err := th.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown = %v, want context.Canceled (calls were hung up)", err)
	}
	if got := call.HangupCause(); got != DefaultDrainCause {
		t.Fatalf("hangup cause %q, want %s", got, DefaultDrainCause)
	}
	end := th.rec.waitCount(t, "end", 1)[0]
	if end.vals[2] != "hangup" || end.vals[3] != "false" {
		t.Fatalf("cleanup saw wait=%s ready=%s, want hangup/false after the hangup", end.vals[2], end.vals[3])
	}
	if err := <-errc; err != nil {
		t.Fatalf("ServeOutbound = %v, want nil after Shutdown", err)
	}
}

func TestShutdownWaitsForLiveCalls(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": fmt.Sprintf(holdScript, "g1", "g1")}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, errc := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	call := dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "start", 1)

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		defer cancel()
		done <- th.Shutdown(ctx)
	}()
	if err := <-errc; err != nil { // the listener closed: no new calls
		t.Fatalf("ServeOutbound = %v", err)
	}
	close(th.rec.gate("release"))
	if err := <-done; err != nil {
		t.Fatalf("Shutdown = %v, want nil (the call ended by itself)", err)
	}
	if end := th.rec.matching("end"); len(end) != 1 || end[0].vals[2] != "true" {
		t.Fatalf("ends = %v, want one normal end", end)
	}
	if call.HangupCause() == DefaultDrainCause {
		t.Fatal("a call that ended in time was hung up by the drain")
	}
}

func TestOutboundScriptErrorsAndRunawaysAreCounted(t *testing.T) {
	files := map[string]string{
		"bad.lua":  `return { session = function(s) error("broken ivr") end }`,
		"spin.lua": `return { session = function(s) while true do end end }`,
	}
	th := startHost(t, files, Options{SessionBudget: 50 * time.Millisecond})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "bad"})
	dialCall(t, sim, addr, nil)
	dialCall(t, sim, addr, map[string]string{ScriptVar: "spin"})
	th.obs.waitFor(t, "both sessions end", func() bool {
		return th.obs.ended["bad/error"] == 1 && th.obs.ended["spin/budget"] == 1
	})
	var ae *lua.ApiError
	for _, f := range th.obs.failures() {
		switch f.script {
		case "bad":
			if !errors.As(f.err, &ae) || !strings.Contains(ae.Object.String(), "bad.lua:1: broken ivr") {
				t.Fatalf("bad: error %v, want the Lua error with its line", f.err)
			}
		case "spin":
			if !f.killed || !errors.Is(f.err, ErrBudget) {
				t.Fatalf("spin: %+v, want a budget kill", f)
			}
		}
	}
}

// A pooled state's timers belong to the call that started them: a
// timer.every still running when call 1's script returns stops there (the
// Runtime's End), so call 2 on the same state, waiting in msleep where a
// live timer of call 1 would fire, records only its own ticks.
func TestPooledSessionTimersEndWithTheirCall(t *testing.T) {
	src := `local rec = require("rec")
local timer = require("timer")
local fs = require("freeswitch")
return { session = function(s)
  calls = (calls or 0) + 1
  local me = calls
  timer.every(5, function() rec.put("tick", me) end)
  fs.msleep(100)
  rec.put("end", me)
end }
`
	th := startHost(t, map[string]string{"tick.lua": src}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "tick"})
	for i := 1; i <= 2; i++ {
		dialCall(t, sim, addr, nil)
		th.obs.waitFor(t, "call end", func() bool { return th.obs.ended["tick/ok"] == i })
	}
	ended, ticks := map[string]bool{}, map[string]int{}
	for _, r := range th.rec.all() {
		switch r.vals[0] {
		case "end":
			ended[r.vals[1]] = true
		case "tick":
			if ended[r.vals[1]] {
				t.Fatalf("call %s's timer ticked after its script returned: records %v", r.vals[1], th.rec.all())
			}
			ticks[r.vals[1]]++
		}
	}
	if !ended["2"] || ticks["1"] == 0 || ticks["2"] == 0 {
		t.Fatalf("want both calls on one pooled state, each with ticks of its own: ended %v ticks %v", ended, ticks)
	}
}
