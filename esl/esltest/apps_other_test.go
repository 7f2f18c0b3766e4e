package esltest

import (
	"slices"
	"testing"
)

// An application the simulator does not model completes with _none_, is
// recorded, and the call stays up.
func TestOtherAppCompletesWithNone(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.send("sendmsg\ncall-command: execute\nexecute-app-name: valet_park\nexecute-app-arg: lot 1")
	c.expectReply("+OK")
	done := c.eventNamed("CHANNEL_EXECUTE_COMPLETE")
	if done.get("Application") != "valet_park" || done.get("Application-Response") != "_none_" ||
		done.get("Application-Data") != "lot 1" {
		t.Fatalf("completion %q", done.raw)
	}
	got := call.Executed()
	if len(got) != 1 || got[0].App != "valet_park" || got[0].Args != "lot 1" || !got[0].Done || got[0].Response != "_none_" {
		t.Fatalf("executed %+v", got)
	}
	if !call.Up() || call.Var("last_app") != "valet_park" {
		t.Fatalf("up=%v last_app=%q", call.Up(), call.Var("last_app"))
	}
}

// HandleApp(OtherApps, fn) replaces the default; HandleApp(name, nil)
// makes one application missing; AppNames lists OtherApps and not the
// missing ones.
func TestOtherAppsHandlerAndMissing(t *testing.T) {
	s := fastSim(t, Options{MissingApps: []string{"playback"}})
	var seen []string
	s.HandleApp(OtherApps, func(x *Exec) string { seen = append(seen, x.App); return "ok " + x.Args })
	s.HandleApp("gone", nil)
	names := s.AppNames()
	if !slices.Contains(names, OtherApps) || slices.Contains(names, "playback") || slices.Contains(names, "gone") ||
		!slices.Contains(names, "answer") {
		t.Fatalf("names %v", names)
	}
	if s.AppHandler("playback") != nil || s.AppHandler("gone") != nil || s.AppHandler("anything") == nil {
		t.Fatal("AppHandler: missing apps must be nil, others the OtherApps handler")
	}
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: conference\nexecute-app-arg: room1")
	c.expectReply("+OK")
	if _, err := call.WaitExecuted(ctxT(t), "conference"); err != nil {
		t.Fatal(err)
	}
	if x := call.Executed()[0]; x.Response != "ok room1" || len(seen) != 1 {
		t.Fatalf("executed %+v, seen %v", x, seen)
	}
	c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: gone")
	c.expectReply("+OK")
	if err := call.WaitHangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if call.HangupCause() != "DESTINATION_OUT_OF_ORDER" || len(call.Executed()) != 1 {
		t.Fatalf("cause %q executed %+v", call.HangupCause(), call.Executed())
	}
}
