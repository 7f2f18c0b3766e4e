package host

import (
	"testing"

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
