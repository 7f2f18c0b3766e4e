package host

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// afterHangupScript reaches FreeSWITCH before and after its call's socket
// is gone.
const afterHangupScript = `local rec = require("rec")
local esl = require("esl")
return { session = function(s)
  rec.put("up", tostring(esl.api("echo on-socket")))
  local _, err = s:waitForDtmf()
  local out, aerr = esl.api("echo after")
  rec.put("after", tostring(err), tostring(out), tostring(aerr))
end }
`

// A call script's commands go over its socket while it is up; once the
// socket is gone (here FreeSWITCH drops it mid-call) they go through the
// listener's node, so cleanup code after the hangup still reaches
// FreeSWITCH.
func TestCallCommandsFallBackToTheNodeWhenTheSocketIsGone(t *testing.T) {
	th := startHost(t, map[string]string{"ivr.lua": afterHangupScript}, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	sim.HandleAPI("echo", func(args string) string { return args })
	addSimNode(t, th, sim)
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Node: "fs1", Script: "ivr"})
	call := dialCall(t, sim, addr, nil)
	th.rec.waitCount(t, "up", 1)
	var sock *esltest.Conn
	for _, c := range sim.Conns() {
		if c.Outbound() && c.Call() == call {
			sock = c
		}
	}
	if sock == nil {
		t.Fatal("no outbound connection for the call")
	}
	sock.Drop()
	after := th.rec.waitCount(t, "after", 1)[0]
	assertVals(t, after.vals[1:], "hangup", "after", "nil")
	conns := map[string]int{}
	for _, c := range sim.Commands() {
		conns[c.Line] = c.Conn
	}
	if conns["api echo on-socket"] != sock.ID() || conns["api echo after"] == sock.ID() || conns["api echo after"] == 0 {
		t.Fatalf("commands went on connections %v; the socket is %d", conns, sock.ID())
	}
}

// causeScripts end their call in different ways (see TestSessionEndedCause).
var causeScripts = map[string]string{
	"up.lua":     `return { session = function(s) s:answer() end }`,
	"kill.lua":   `return { session = function(s) s:answer(); s:hangup("USER_BUSY") end }`,
	"caller.lua": `return { session = function(s) s:answer(); s:waitForDtmf() end }`,
	"raise.lua":  `return { session = function(s) s:answer(); s:waitForDtmf(); error("boom") end }`,
}

// eslscript_sessions_ended_total's cause (Observer.SessionEnded): the
// call's hangup cause when it hung up before the script returned (the
// script's own hangup included, even before CHANNEL_HANGUP is read), "ok"
// when the script returned with the call up, "error" when it raised
// (even after a hangup).
func TestSessionEndedCause(t *testing.T) {
	th := startHost(t, causeScripts, Options{})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "up"})
	dialCall(t, sim, addr, nil)
	dialCall(t, sim, addr, map[string]string{ScriptVar: "kill"})
	for _, script := range []string{"caller", "raise"} {
		call := dialCall(t, sim, addr, map[string]string{ScriptVar: script})
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		if _, err := call.WaitExecuted(ctx, "answer"); err != nil {
			t.Fatal(err)
		}
		cancel()
		call.Hangup("NO_ANSWER")
	}
	for _, want := range []string{"up/ok", "kill/USER_BUSY", "caller/NO_ANSWER", "raise/error"} {
		th.obs.waitFor(t, want, func() bool { return th.obs.ended[want] == 1 })
	}
}

// cmdLog is an Options.WrapCommander that records the first word of each
// command sent through the wrapped Commander.
type cmdLog struct {
	mu    sync.Mutex
	words []string
}

func (l *cmdLog) wrap(_ string, c bindings.Commander) bindings.Commander { return loggedCmds{l, c} }

func (l *cmdLog) add(cmd string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.words = append(l.words, strings.Fields(cmd)[0])
}

func (l *cmdLog) seen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.words...)
}

type loggedCmds struct {
	l *cmdLog
	c bindings.Commander
}

func (x loggedCmds) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	x.l.add(cmd.String())
	return x.c.Send(ctx, cmd)
}
func (x loggedCmds) API(ctx context.Context, cmd string) (string, error) {
	x.l.add(cmd)
	return x.c.API(ctx, cmd)
}
func (x loggedCmds) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	x.l.add(cmd)
	return x.c.BgAPI(ctx, cmd)
}

// The session's own commands (each execute's sendmsg, uuid_getvar...) go
// through Options.WrapCommander like the script's esl.* commands, so that
// they are timed (eslscript_command_duration_seconds) and traced.
func TestSessionCommandsAreWrapped(t *testing.T) {
	var log cmdLog
	th := startHost(t, map[string]string{"ivr.lua": ivrScript}, Options{WrapCommander: log.wrap})
	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	addr, _ := th.serve(t, ListenerOptions{Name: "main", Script: "ivr"})
	dialCall(t, sim, addr, nil)
	th.obs.waitFor(t, "session end", func() bool { return th.obs.ended["ivr/ok"] == 1 })
	if got := strings.Join(log.seen(), " "); got != "sendmsg uuid_getvar" {
		t.Fatalf("wrapped commands: %q, want the answer's sendmsg and getVariable's uuid_getvar", got)
	}
}
