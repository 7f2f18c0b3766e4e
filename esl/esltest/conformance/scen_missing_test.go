package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/esl"
)

func init() {
	scenarios = append(scenarios, scenario{"apps/missing-application", appsMissing})
}

// missingApp is an application FreeSWITCH does not have; the simulator
// target declares it in Options.MissingApps (by default the simulator
// completes unknown applications with _none_, see esltest.OtherApps).
const missingApp = "eslscript_no_such_app"

// appsMissing: executing an application the server has not loaded hangs
// the call up with DESTINATION_OUT_OF_ORDER and fires no event for it.
func appsMissing(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	tr.Add("%s: %s", missingApp, s.Send(esl.Execute{App: missingApp, Arg: "x"}))
	evs := only(s.Until(named("CHANNEL_HANGUP_COMPLETE")), legEvents...)
	for _, ev := range evs {
		tr.Add("socket: %s", describeApp(ev))
	}
	tr.Add("cause=%s", evs[len(evs)-1].Get("Hangup-Cause"))
}
