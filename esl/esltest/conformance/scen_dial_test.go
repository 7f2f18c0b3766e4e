package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios,
		scenario{"dial/originate-failures", dialOriginateFailures},
		scenario{"dial/originate-variables-quoting", dialOriginateQuoting},
		scenario{"dial/bridge-failure", dialBridgeFailure},
		scenario{"dial/bridge-failure-continue_on_fail", dialBridgeContinue},
	)
}

// dialOriginateFailures: originate to a dial string that cannot be
// reached answers -ERR with the cause.
func dialOriginateFailures(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	for _, d := range []string{"error/user_busy", "error/NO_ANSWER", tg.Dial("busy"), "nosuchtech/1000"} {
		tr.Add("originate %s: %q", d, api(t, c, "originate "+d+" &park"))
	}
}

// dialOriginateQuoting: {} variables with a quoted value holding an
// escaped comma, and an unquoted one.
func dialOriginateQuoting(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	out := api(t, c, `originate {origination_uuid=`+id+`,v1='a\, b',v2=c\,d,v3='x y'}`+tg.Dial("park")+" &park")
	tr.Add("originate: %q", out)
	for _, v := range []string{"v1", "v2", "v3"} {
		tr.Add("%s=%q", v, api(t, c, "uuid_getvar "+id+" "+v))
	}
	tr.Add("kill: %q", api(t, c, "uuid_kill "+id))
}

// dialBridgeFailure: a bridge that fails leaves the call up with the
// cause in its variables.
func dialBridgeFailure(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	done := run(s, tr, "bridge", "error/user_busy")
	for _, v := range []string{"originate_disposition", "DIALSTATUS", "originate_failed_cause", "last_bridge_hangup_cause"} {
		tr.Add("%s=%q", v, done.Var(v))
	}
	tr.Events("socket", only(s.Until(named("CHANNEL_HANGUP_COMPLETE")), legEvents...))
}

// dialBridgeContinue: with continue_on_fail=true the call stays up after
// a failed bridge.
func dialBridgeContinue(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	run(s, tr, "set", "continue_on_fail=true")
	done := run(s, tr, "bridge", "error/call_rejected")
	for _, v := range []string{"originate_disposition", "DIALSTATUS", "originate_failed_cause"} {
		tr.Add("%s=%q", v, done.Var(v))
	}
	hangup(s)
}
