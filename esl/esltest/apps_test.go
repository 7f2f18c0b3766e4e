package esltest

import (
	"strings"
	"testing"
)

const pagd = "sendmsg\ncall-command: execute\nexecute-app-name: play_and_get_digits\nevent-lock: true\nexecute-app-arg: "

func TestPlayAndGetDigitsInjectedDTMF(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	// 10,000,000 ms scaled by 0.001 = 10 s: long enough to inject by hand.
	c.send(pagd + `1 4 3 10000000 # silence_stream://1000 silence_stream://10 my_digits \d+`)
	evs := c.replyAmid("+OK")
	if _, err := call.WaitExecuting(ctxT(t), "play_and_get_digits"); err != nil {
		t.Fatal(err)
	}
	call.SendDTMF("12#")
	var digits []string
	var done frame
	for i := 0; done.raw == ""; i++ {
		if i >= len(evs) {
			evs = append(evs, c.event())
		}
		switch e := evs[i]; e.get("Event-Name") {
		case "DTMF":
			if e.get("DTMF-Duration") != "2000" || e.get("DTMF-Source") == "" || strings.Contains(e.raw, "variable_") {
				t.Fatalf("DTMF event %q", e.raw)
			}
			digits = append(digits, e.get("DTMF-Digit"))
		case "CHANNEL_EXECUTE_COMPLETE":
			done = e
		}
	}
	if strings.Join(digits, "") != "12#" {
		t.Fatalf("DTMF events %v", digits)
	}
	if done.get("variable_my_digits") != "12" || call.Var("read_terminator_used") != "#" {
		t.Fatalf("pagd result %q", done.get("variable_my_digits"))
	}
}

func TestPlayAndGetDigitsRetriesAndClosedQueue(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{DTMF: "9#5"})
	call.CloseDTMF()
	c := authed(t, s)
	// Try 1: 9 fails the regex; try 2: # ends an empty input; try 3: 5 matches.
	c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: play_and_get_digits\nexecute-app-arg: 1 1 3 5000 # x y choice ^[1-5]$")
	c.expectReply("+OK")
	if _, err := call.WaitExecuted(ctxT(t), "play_and_get_digits"); err != nil {
		t.Fatal(err)
	}
	if call.Var("choice") != "5" || call.Var("choice_invalid") != "9" {
		t.Fatalf("choice=%q invalid=%q", call.Var("choice"), call.Var("choice_invalid"))
	}
	// With the queue closed and empty, another prompt gives up at once:
	// no digit is fewer than min, a failure (not a timeout) as in FreeSWITCH.
	c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: read\nexecute-app-arg: 1 4 x got 100000000 #")
	c.expectReply("+OK")
	if err := call.WaitVar(ctxT(t), "read_result", "failure"); err != nil {
		t.Fatal(err)
	}
}

func TestEventLockSerialisesNestedOtherwise(t *testing.T) {
	for _, lock := range []bool{true, false} {
		s := fastSim(t, Options{})
		call := s.NewCall(CallOptions{})
		c := authed(t, s)
		hdr := ""
		if lock {
			hdr = "\nevent-lock: true"
		}
		c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: sleep\nexecute-app-arg: 200000" + hdr)
		c.expectReply("+OK")
		if _, err := call.WaitExecuting(ctxT(t), "sleep"); err != nil {
			t.Fatal(err)
		}
		c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: k=v")
		c.expectReply("+OK")
		if _, err := call.WaitExecuted(ctxT(t), "set"); err != nil {
			t.Fatal(err)
		}
		ex := call.Executed()
		sleepDoneFirst := ex[0].Done
		if sleepDoneFirst != lock {
			t.Fatalf("lock=%v: sleep finished before set = %v", lock, sleepDoneFirst)
		}
	}
}

func TestAppsSetPlaybackBreakAndTransfer(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	run := func(app, arg string) {
		c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: " + app + "\nexecute-app-arg: " + arg)
		c.expectReply("+OK")
	}
	run("set", "greeting=hello world")
	run("playback", "/tmp/${greeting}.wav")
	e, err := call.WaitExecuted(ctxT(t), "playback")
	if err != nil {
		t.Fatal(err)
	}
	if e.Args != "/tmp/hello world.wav" || e.Response != "FILE PLAYED" {
		t.Fatalf("playback %+v", e)
	}
	run("sleep", "100000000")
	if _, err := call.WaitExecuting(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	if got := c.api("uuid_break " + call.UUID()); got != "+OK\n" {
		t.Fatalf("uuid_break %q", got)
	}
	if _, err := call.WaitExecuted(ctxT(t), "sleep"); err != nil {
		t.Fatal(err)
	}
	run("transfer", "5000 XML default")
	if _, err := call.WaitExecuted(ctxT(t), "transfer"); err != nil || call.TransferredTo() != "5000" {
		t.Fatalf("transfer %v %q", err, call.TransferredTo())
	}
	s.FailDial("gw_down", "USER_BUSY")
	run("bridge", "sofia/gateway/gw_down/1000")
	if _, err := call.WaitExecuted(ctxT(t), "bridge"); err != nil || call.Var("originate_disposition") != "USER_BUSY" {
		t.Fatalf("bridge %v %q", err, call.Var("originate_disposition"))
	}
}
