package esltest

import (
	"strings"
	"testing"
)

// waitSocket waits until the call's socket application is in state want.
func waitSocket(t *testing.T, s *Server, call *Call, want SocketState) {
	t.Helper()
	if err := s.waitFor(ctxT(t), "socket "+want.String(), func() bool { return call.SocketState() == want }); err != nil {
		t.Fatalf("%v (state %s)", err, call.SocketState())
	}
}

// The socket ends after the park: the park ends, the socket app completes
// and the dialplan after it runs, then the extension's end hangs up.
func TestSocketEndContinuesDialplan(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{AfterSocket: []DialplanApp{{App: "set", Args: "after_socket=reached"}}})
	if call.SocketState() != SocketRunning {
		t.Fatalf("state %s", call.SocketState())
	}
	c.send("exit")
	c.expectReply("+OK bye")
	if err := call.WaitHangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if call.SocketState() != SocketReturned || call.HangupCause() != "NORMAL_CLEARING" || call.Var("after_socket") != "reached" {
		t.Fatalf("state %s cause %s after_socket %q", call.SocketState(), call.HangupCause(), call.Var("after_socket"))
	}
	if ex := call.Executed(); len(ex) != 1 || ex[0].App != "set" || !ex[0].Done {
		t.Fatalf("executed %+v", ex)
	}
}

// A socket that closes before the call was parked leaves it parked in the
// socket app; a hangup ends it.
func TestSocketClosedBeforeParkStaysStuck(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := dialCall(t, s, DialOptions{Async: true, Full: true}, CallOptions{})
	c.send("connect")
	c.read()
	c.nc.Close()
	waitSocket(t, s, call, SocketStuck)
	if !call.Up() {
		t.Fatal("a stuck call hung up")
	}
	call.Hangup("")
	waitSocket(t, s, call, SocketHungUp)
}

// A sync socket that ends returns at once (no park to wait for).
func TestSyncSocketEndReturns(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := dialCall(t, s, DialOptions{Full: true}, CallOptions{})
	c.send("connect")
	c.read()
	c.nc.Close()
	waitSocket(t, s, call, SocketReturned)
	if err := call.WaitHangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

// Hangup lands before the running application's end; HangupAfterApp
// after it, with the call still answered.
func TestHangupOrders(t *testing.T) {
	for _, far := range []bool{false, true} {
		s := fastSim(t, Options{TimeScale: 1})
		c, call := connected(t, s, CallOptions{})
		call.Answer()
		c.eventNamed("CHANNEL_ANSWER")
		c.send("sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: silence_stream://100000\n\n")
		c.expectReply("+OK")
		if _, err := call.WaitExecuting(ctxT(t), "playback"); err != nil {
			t.Fatal(err)
		}
		c.eventNamed("CHANNEL_EXECUTE")
		want := "CHANNEL_HANGUP,CHANNEL_EXECUTE_COMPLETE/hangup/PLAYBACK ERROR"
		if far {
			call.HangupAfterApp("")
			want = "CHANNEL_EXECUTE_COMPLETE/answered/PLAYBACK ERROR,CHANNEL_HANGUP"
		} else {
			call.Hangup("")
		}
		var got []string
		for len(got) < 5 {
			e := c.event()
			n := e.get("Event-Name")
			if n == "CHANNEL_STATE" {
				continue
			}
			if n == "CHANNEL_EXECUTE_COMPLETE" {
				n += "/" + e.get("Answer-State") + "/" + e.get("Application-Response")
			}
			got = append(got, n)
		}
		want += ",CHANNEL_UNPARK,CHANNEL_EXECUTE_COMPLETE/hangup/PLAYBACK ERROR,CHANNEL_HANGUP_COMPLETE"
		if strings.Join(got, ",") != want {
			t.Errorf("far=%v: events\n%s\nwant\n%s", far, strings.Join(got, ","), want)
		}
	}
}

// PRIVATE_COMMAND follows each sendmsg the call dequeued while it had
// media; an unknown call-command does nothing else.
func TestPrivateCommand(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.send("event plain PRIVATE_COMMAND")
	c.expectReply("+OK event listener enabled plain")
	for _, m := range []string{
		"sendmsg\ncall-command: nop\nx-mark: 1\n\n", // no media yet
		"sendmsg\ncall-command: execute\nexecute-app-name: answer\n\n",
		"sendmsg\ncall-command: nop\nx-mark: 2\n\n",
	} {
		c.send(m)
		for _, f := range c.replyAmid("+OK") {
			if f.get("Event-Name") == "PRIVATE_COMMAND" {
				t.Fatalf("early PRIVATE_COMMAND %q", f.raw)
			}
		}
	}
	e := c.eventNamed("PRIVATE_COMMAND")
	if e.get("x-mark") != "2" || e.get("call-command") != "nop" || e.get("Unique-ID") != call.UUID() ||
		e.get("Command") != "sendmsg\ncall-command: nop\nx-mark: 2\n\n" || e.get("Answer-State") != "answered" {
		t.Fatalf("PRIVATE_COMMAND %q", e.raw)
	}
	if !call.Up() {
		t.Fatal("nop hung up the call")
	}
}
