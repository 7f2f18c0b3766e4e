package host

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

func TestIsModLua(t *testing.T) {
	for rel, want := range map[string]bool{
		"mod_lua/ivr.lua":         true,
		"billing/mod_lua/cdr.lua": true,
		"mod_lua/lib/util.lua":    false, // a module
		"ivr.lua":                 false,
		"mod_lua.lua":             false,
		"xmod_lua/ivr.lua":        false,
	} {
		if got := isModLua(rel); got != want {
			t.Errorf("isModLua(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestModLuaScriptNotRunAtLoad(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"mod_lua/ivr.lua":      `error("a mod_lua script must not run at load: session is " .. tostring(session))`,
		"mod_lua/lib/util.lua": `return { x = 1 }`,
	})
	g, err := (&Loader{Dir: dir}).Build(nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	s := g.Script("mod_lua/ivr")
	if s == nil || !s.ModLua || !s.Session || len(s.Events) != 0 || s.Init {
		t.Fatalf("script = %+v, want a ModLua session script", s)
	}
	if g.Script("mod_lua/lib/util") != nil {
		t.Fatal("a lib/ module under mod_lua/ became a script")
	}
}

func TestModLuaSyntaxErrorFailsBuild(t *testing.T) {
	dir := writeTree(t, map[string]string{"mod_lua/bad.lua": "session:answer()\nif then\n"})
	_, err := (&Loader{Dir: dir}).Build(nil)
	var le *LoadError
	if !errors.As(err, &le) || le.Line != 2 || !strings.HasSuffix(le.File, "bad.lua") {
		t.Fatalf("err = %v, want a LoadError at bad.lua:2", err)
	}
}

// modLuaRec is a mod_lua-style script reporting its argv, a global left
// by an earlier call and freeswitch.API output.
const modLuaRec = `local rec = require("rec")
session:answer()
rec.put("argv", argv[0], tostring(argv[1]), tostring(argv[2]), #argv, tostring(leftover))
leftover = "from an earlier call"
rec.put("fs", tostring(freeswitch ~= nil))
function helper() return "global function" end
rec.put("api", freeswitch.API():executeString("echo hi there"), helper())
freeswitch.consoleLog("info", "done\n")
freeswitch = nil
return "ignored"
`

func TestModLuaOutboundCall(t *testing.T) {
	th := startHost(t, map[string]string{"mod_lua/ivr.lua": modLuaRec}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	sim.HandleAPI("echo", func(args string) string { return "echo:" + args })
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "none"})
	call := dialCall(t, sim, addr, map[string]string{ScriptVar: "mod_lua/ivr", ArgvVar: " a  b "})
	th.obs.waitFor(t, "first call", func() bool { return th.obs.ended["mod_lua/ivr/ok"] == 1 })
	dialCall(t, sim, addr, map[string]string{ScriptVar: "mod_lua/ivr"})
	th.obs.waitFor(t, "second call", func() bool { return th.obs.ended["mod_lua/ivr/ok"] == 2 })
	if !call.Answered() {
		t.Fatal("session:answer() did not reach the call")
	}
	argv := th.rec.waitCount(t, "argv", 2)
	// argv[0] names the file as the lua application does (in the script directory)
	assertVals(t, argv[0].vals[1:], "ivr.lua", "a", "b", "2", "nil")
	// the second call ran on the pooled state, without the first's globals
	assertVals(t, argv[1].vals[1:], "ivr.lua", "nil", "nil", "0", "nil")
	// the second call still had the freeswitch global the first one cleared
	assertVals(t, []string{th.rec.waitCount(t, "fs", 2)[1].vals[1]}, "true")
	api := th.rec.waitCount(t, "api", 1)
	assertVals(t, api[0].vals[1:], "echo:hi there", "global function")
	if idle := th.Generation().IdleStates("mod_lua/ivr"); idle != 1 {
		t.Fatalf("pool holds %d idle states, want the one reused state", idle)
	}
}

func TestModLuaErrorEndsCall(t *testing.T) {
	th := startHost(t, map[string]string{"mod_lua/x.lua": "session:answer()\nlocal n = nil + 1\n"}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/x"})
	dialCall(t, sim, addr, nil)
	th.obs.waitFor(t, "the failed session", func() bool { return th.obs.ended["mod_lua/x/error"] == 1 })
	th.obs.mu.Lock()
	var msg string
	for _, d := range th.obs.done {
		if d.script == "mod_lua/x" && d.handler == "session" && d.err != nil {
			msg = firstLine(d.err)
		}
	}
	th.obs.mu.Unlock()
	if !strings.Contains(msg, "x.lua:2: ") || !strings.Contains(msg, "add operation") {
		t.Fatalf("session error = %q, want the script's file:line", msg)
	}
	if idle := th.Generation().IdleStates("mod_lua/x"); idle != 0 {
		t.Fatalf("a state whose script raised went back to the pool (%d idle)", idle)
	}
}

func TestModLuaExampleRunsUnchanged(t *testing.T) {
	src, err := os.ReadFile("../scripts/examples/mod_lua/ivr.lua")
	if err != nil {
		t.Fatal(err)
	}
	th := startHost(t, map[string]string{"mod_lua/ivr.lua": string(src)}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/ivr"})
	call := sim.NewCall(esltest.CallOptions{Variables: map[string]string{ArgvVar: "support"}})
	call.SendDTMF("77#")
	dialWith(t, sim, addr, call)
	th.obs.waitFor(t, "the example's session", func() bool { return th.obs.ended["mod_lua/ivr/ok"] == 1 })
	var apps []string
	for _, x := range call.Executed() {
		apps = append(apps, x.App)
	}
	// "77#" was typed ahead (dequeued during the welcome): playAndGetDigits
	// reads it on the host, as the app would have with the digits queued,
	// so no play_and_get_digits runs (under mod_lua its prompt is cut at once)
	assertVals(t, apps, "answer", "sleep", "playback", "playback")
	if got := call.TransferredTo(); !strings.HasPrefix(got, "3000") {
		t.Fatalf("transferred to %q, want 3000 (argv[1] = support)", got)
	}
}

// assertVals fails unless got equals want.
func assertVals(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// dialWith connects an existing simulated call to addr ("async full").
func dialWith(t *testing.T, sim *esltest.Server, addr string, call *esltest.Call) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatal(err)
	}
}

func TestModLuaHangupAndBudget(t *testing.T) {
	wait := `local rec = require("rec")
function on_hangup(s, how) rec.put("hook", how) end
session:setHangupHook("on_hangup")
session:answer()
rec.put("waiting")
while session:ready() do freeswitch.msleep(20) end
rec.put("after", tostring(session:ready()))
`
	th := startHost(t, map[string]string{"mod_lua/wait.lua": wait, "mod_lua/spin.lua": "while true do end"},
		Options{SessionBudget: 300 * time.Millisecond})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/wait"})
	call := dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "waiting", 1)
	call.Hangup("NORMAL_CLEARING") // ready() ends the loop (msleep, as in mod_lua, is not cut short)
	if got := th.rec.waitCount(t, "after", 1)[0].vals[1]; got != "false" {
		t.Fatalf("ready() after hangup = %s", got)
	}
	// the hook is found by name among the script's globals, as in mod_lua
	if got := th.rec.waitCount(t, "hook", 1)[0].vals[1]; got != "hangup" {
		t.Fatalf("hangup hook got %q", got)
	}
	th.obs.waitFor(t, "wait's session", func() bool { return th.obs.ended["mod_lua/wait/NORMAL_CLEARING"] == 1 })
	dialCall(t, sim, addr, map[string]string{ScriptVar: "mod_lua/spin"})
	th.obs.waitFor(t, "spin stopped by its budget", func() bool { return th.obs.ended["mod_lua/spin/budget"] == 1 })
}

// A mod_lua-style script requires modules beside it (FreeSWITCH's script
// directory comes first in package.path), and every call, on a reused
// state too, gets the globals its modules define: the modules a call
// loaded are loaded again by the next call, as in mod_lua's fresh state
// (they were kept loaded while their globals were removed: the second
// call raised "attempt to call a non-function object").
func TestModLuaRequireBesideAndModuleGlobals(t *testing.T) {
	th := startHost(t, map[string]string{
		"mod_lua/main.lua": `local rec = require("rec")
local h = require("helper")
local d = require("app.deep")
rec.put("call", h.twice("x"), helper_global("y"), d, argv[0])`,
		"mod_lua/helper.lua":   "function helper_global(v) return 'g' .. v end\nreturn { twice = function(v) return v .. v end }",
		"mod_lua/app/deep.lua": `return "deep"`,
		"lib/helper.lua":       `error("lib/helper.lua was loaded instead of mod_lua/helper.lua")`,
	}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "mod_lua/main"})
	for i := 1; i <= 2; i++ {
		dialCall(t, sim, addr, nil)
		th.obs.waitFor(t, "call", func() bool { return th.obs.ended["mod_lua/main/ok"] == i })
	}
	got := th.rec.waitCount(t, "call", 2)
	for _, g := range got {
		assertVals(t, g.vals[1:], "xx", "gy", "deep", "main.lua")
	}
	if idle := th.Generation().IdleStates("mod_lua/main"); idle != 1 {
		t.Fatalf("pool holds %d idle states, want the one reused state", idle)
	}
}
