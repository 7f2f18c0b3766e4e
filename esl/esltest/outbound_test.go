package esltest

import (
	"net"
	"strings"
	"testing"
)

// dialCall creates a call and has the simulator dial a test listener.
func dialCall(t *testing.T, s *Server, o DialOptions, co CallOptions) (*raw, *Call) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	call := s.NewCall(co)
	if _, err := s.Dial(ctxT(t), ln.Addr().String(), call, o); err != nil {
		t.Fatal(err)
	}
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return wrapRaw(t, nc), call
}

// connected dials and sends connect + myevents.
func connected(t *testing.T, s *Server, co CallOptions) (*raw, *Call) {
	c, call := dialCall(t, s, DialOptions{Async: true, Full: true}, co)
	c.send("connect")
	c.read()
	c.send("myevents")
	c.expectReply("+OK Events Enabled")
	if e := c.event(); e.get("Event-Name") != "CHANNEL_PARK" { // parked once subscribed
		t.Fatalf("want CHANNEL_PARK, got %q", e.raw)
	}
	return c, call
}

func TestOutboundConnectReply(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := dialCall(t, s, DialOptions{Async: true, Full: true},
		CallOptions{CallerIDNumber: "1000", CallerIDName: "Alice Smith", Destination: "9001",
			Variables: map[string]string{"x_custom": "a b"}})
	c.send("connect")
	f := c.read()
	if !strings.HasPrefix(f.raw, "Event-Name: CHANNEL_DATA\n") {
		t.Fatalf("connect reply starts %q", f.raw[:40])
	}
	if !strings.HasSuffix(f.raw, "\nContent-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: full\n\n") {
		t.Fatalf("connect reply tail %q", f.raw[len(f.raw)-120:])
	}
	if _, ok := f.headers["Content-Length"]; ok || f.body != "" {
		t.Fatal("connect reply must not have Content-Length")
	}
	for _, want := range []string{"Unique-ID: " + call.UUID() + "\n", "Channel-Caller-ID-Name: Alice%20Smith\n",
		"Caller-Destination-Number: 9001\n", "variable_x_custom: a%20b\n", "variable_current_application: socket\n"} {
		if !strings.Contains(f.raw, want) {
			t.Fatalf("connect reply lacks %q", want)
		}
	}
	c.send("getvar destination_number")
	c.expectReply("9001")
	c.send("getvar nosuch")
	c.expectReply("-ERR command not found")
	c.send("myevents")
	c.expectReply("+OK Events Enabled")
	c.eventNamed("CHANNEL_PARK")
	c.send("myevents")
	c.expectReply("-ERR aready enabled.")
	c.send("api uuid_getvar " + call.UUID() + " channel_name")
	if got := c.expectType("api/response").body; got != call.ChannelName() {
		t.Fatalf("api over outbound %q", got)
	}
}

func TestOutboundFirstCommandNotConnect(t *testing.T) {
	s := fastSim(t, Options{})
	c, _ := dialCall(t, s, DialOptions{Async: true}, CallOptions{})
	c.send("myevents") // its reply is discarded, as in FreeSWITCH
	c.send("linger")   // refused without full
	c.expectReply("-ERR command not found")
}

func TestOutboundExecuteLingerHangup(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.send("linger")
	c.expectReply("+OK will linger")
	c.send("sendmsg\ncall-command: execute\nexecute-app-name: answer\nevent-lock: true")
	c.expectReply("+OK")
	c.send("sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: silence_stream://500\nEvent-UUID: 0f0f0f0f-1111-2222-3333-444444444444")
	evs := c.replyAmid("+OK")
	names := []string{}
	var done frame
	for i := 0; done.get("Application") != "playback"; i++ {
		if i >= len(evs) {
			evs = append(evs, c.event())
		}
		e := evs[i]
		names = append(names, e.get("Event-Name"))
		if e.get("Event-Name") == "CHANNEL_EXECUTE_COMPLETE" {
			done = e
		}
	}
	if got := strings.Join(names, ","); got != "CHANNEL_EXECUTE,CHANNEL_ANSWER,CHANNEL_EXECUTE_COMPLETE,CHANNEL_EXECUTE,CHANNEL_EXECUTE_COMPLETE" {
		t.Fatalf("events %s", got)
	}
	if done.get("Application-UUID") != "0f0f0f0f-1111-2222-3333-444444444444" ||
		done.get("Application-Response") != "FILE PLAYED" || done.get("Application-Data") != "silence_stream://500" ||
		done.get("Answer-State") != "answered" || done.get("variable_current_application") != "playback" {
		t.Fatalf("execute complete %q", done.raw)
	}
	call.Hangup("NORMAL_CLEARING")
	if e := c.eventNamed("CHANNEL_HANGUP"); e.get("Hangup-Cause") != "NORMAL_CLEARING" {
		t.Fatalf("hangup %q", e.raw)
	}
	c.eventNamed("CHANNEL_HANGUP_COMPLETE")
	f := c.read()
	want := "Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + call.UUID() +
		"\nContent-Disposition: linger\nChannel-Name: " + call.ChannelName() + "\nLinger-Time: -1\nContent-Length: 0\n\n"
	if f.raw != want {
		t.Fatalf("linger notice %q", f.raw)
	}
	c.send("exit")
	c.expectReply("+OK bye")
	f = c.read()
	if f.get("Content-Disposition") != "disconnect" || f.get("Controlled-Session-UUID") != call.UUID() || f.body != byeMessage {
		t.Fatalf("final notice %q", f.raw+f.body)
	}
	c.expectClosed()
	if got := call.Executed(); len(got) != 2 || got[1].App != "playback" || !got[1].Done {
		t.Fatalf("executed %+v", got)
	}
}

func TestOutboundNolingerHangupFromSocket(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.send("sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY")
	c.expectReply("+OK")
	c.eventNamed("CHANNEL_HANGUP_COMPLETE")
	f := c.read()
	if f.raw+f.body != "Content-Type: text/disconnect-notice\nControlled-Session-UUID: "+call.UUID()+
		"\nContent-Disposition: disconnect\nContent-Length: 67\n\n"+byeMessage {
		t.Fatalf("notice %q", f.raw+f.body)
	}
	c.expectClosed()
	if call.HangupCause() != "USER_BUSY" {
		t.Fatalf("cause %q", call.HangupCause())
	}
}

func TestOutboundMissingApp(t *testing.T) {
	s := fastSim(t, Options{MissingApps: []string{"nosuchapp"}})
	c, call := connected(t, s, CallOptions{})
	c.send("sendmsg\ncall-command: execute\nexecute-app-name: nosuchapp")
	c.expectReply("+OK")
	for {
		e := c.event()
		if n := e.get("Event-Name"); strings.HasPrefix(n, "CHANNEL_EXECUTE") {
			t.Fatalf("unknown app fired %s", n)
		} else if n == "CHANNEL_HANGUP" {
			break
		}
	}
	if call.HangupCause() != "DESTINATION_OUT_OF_ORDER" {
		t.Fatalf("cause %q", call.HangupCause())
	}
}

func TestSocketCloseHangsUp(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.nc.Close()
	if err := call.WaitHangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestSyncSendmsgRepliesAfterApp(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := dialCall(t, s, DialOptions{}, CallOptions{})
	c.send("connect")
	if f := c.read(); !strings.Contains(f.raw, "Socket-Mode: static\nControl: single-channel\n") {
		t.Fatalf("connect reply %q", f.raw)
	}
	c.send("sendmsg\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: k=v")
	c.expectReply("+OK")
	if v := call.Var("k"); v != "v" {
		t.Fatalf("sync sendmsg replied before the app ran: k=%q", v)
	}
}

func TestOutboundBgapiJobOwner(t *testing.T) {
	s := fastSim(t, Options{})
	c, call := connected(t, s, CallOptions{})
	c.send("event plain BACKGROUND_JOB")
	c.expectReply("+OK event listener enabled plain")
	c.send("bgapi uuid_getvar " + call.UUID() + " uuid")
	c.expectType("command/reply")
	e := c.eventNamed("BACKGROUND_JOB")
	if e.get("Job-Owner-UUID") != call.UUID() || e.body != call.UUID() {
		t.Fatalf("job event %q", e.raw)
	}
}
