package esl

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// obLiveSession starts a server, dials it with the fake FreeSWITCH, runs the
// handshake and returns both ends.
func obLiveSession(t *testing.T, srv *Server) (*obFakeFS, *Session, *obHandler, *obFixture) {
	t.Helper()
	h := newObHandler()
	srv.Handler = h.handle
	addr, _ := obServer(t, srv)
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.handshake(fx.connectReply())
	return f, obWait(t, h.sessions), h, fx
}

// obSkipPark reads the CHANNEL_PARK that the fake sends after the
// handshake.
func obSkipPark(t *testing.T, s *Session) {
	t.Helper()
	if ev := obWait(t, s.Events()); ev.Name() != "CHANNEL_PARK" {
		t.Fatalf("first event %s, want CHANNEL_PARK", ev.Name())
	}
}

// obEndSession lets the handler return and plays FreeSWITCH's exit.
func obEndSession(t *testing.T, f *obFakeFS, h *obHandler, uuid string) {
	t.Helper()
	h.run <- func(context.Context, *Session) {}
	f.exit(uuid)
}

func TestOutboundHandshakeAndData(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	if s.UUID() != fx.uuid() || s.Data.Get("Unique-ID") != fx.uuid() {
		t.Errorf("UUID %q / Unique-ID %q, want %q", s.UUID(), s.Data.Get("Unique-ID"), fx.uuid())
	}
	for name, want := range map[string]string{
		"Event-Name":                        "CHANNEL_DATA",
		"Caller-Caller-ID-Number":           "0000000000",
		"Caller-Destination-Number":         "9000",
		"Caller-Callee-ID-Name":             "Outbound Call",
		"variable_current_application_data": "127.0.0.1:8084 async full",
		"Reply-Text":                        "+OK\n",
		"Socket-Mode":                       "async",
		"Control":                           "full",
	} {
		if got := s.Data.Get(name); got != want {
			t.Errorf("Data %s = %q, want %q", name, got, want)
		}
	}
	if got := s.Data.Var("socket_host"); got != "127.0.0.1" {
		t.Errorf("Var(socket_host) = %q", got)
	}
	obEndSession(t, f, h, s.UUID())
	obWait(t, s.Done())
}

func TestOutboundNoLinger(t *testing.T) {
	h := newObHandler()
	addr, _ := obServer(t, &Server{Handler: h.handle, NoLinger: true})
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.expectCmd("connect\n\n")
	f.write(fx.connectReply())
	f.expectCmd("myevents\n\n")
	f.reply("+OK Events Enabled")
	f.expectCmd("event plain BACKGROUND_JOB\n\n")
	f.reply("+OK event listener enabled plain")
	f.parked(fx.connectReply())
	s := obWait(t, h.sessions)
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundSingleChannelSkipsFullCommands(t *testing.T) {
	h := newObHandler()
	addr, _ := obServer(t, &Server{Handler: h.handle})
	fx := obLoadFixture(t)
	f := obDial(t, addr)
	f.expectCmd("connect\n\n")
	f.write(strings.Replace(fx.connectReply(), "Control: full\n", "Control: single-channel\n", 1))
	f.expectCmd("myevents\n\n")
	f.reply("+OK Events Enabled")
	f.parked(fx.connectReply())
	s := obWait(t, h.sessions)
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundExecute(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	type result struct {
		ev  *Event
		err error
	}
	res := make(chan result, 1)
	go func() {
		ev, err := s.Execute(context.Background(), "playback", "tone_stream://%(100,100,440);loops=3")
		res <- result{ev, err}
	}()
	cmd := f.readCmd()
	id := obCmdHeaders(cmd)["event-uuid"]
	want := "sendmsg\ncall-command: execute\nexecute-app-name: playback\n" +
		"execute-app-arg: tone_stream://%(100,100,440);loops=3\nevent-lock: true\nEvent-UUID: " + id + "\n\n"
	if cmd != want || len(id) != 36 {
		t.Fatalf("sent %q, want %q", cmd, want)
	}
	f.reply("+OK")
	f.event(obSetHeader(fx.eventBody(t, "CHANNEL_EXECUTE", 1), "Application-UUID", id))
	f.event(obSetHeader(fx.eventBody(t, "CHANNEL_EXECUTE_COMPLETE", 1), "Application-UUID", id))
	r := obWait(t, res)
	if r.err != nil {
		t.Fatalf("Execute: %v", r.err)
	}
	if r.ev.Name() != "CHANNEL_EXECUTE_COMPLETE" || r.ev.Get("Application-UUID") != id ||
		r.ev.Get("Application-Response") != "FILE PLAYED" || r.ev.Var("current_application") != "playback" {
		t.Errorf("got %s uuid %q response %q app %q", r.ev.Name(), r.ev.Get("Application-UUID"),
			r.ev.Get("Application-Response"), r.ev.Var("current_application"))
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundExecuteMultilineArgInBody(t *testing.T) {
	f, s, h, _ := obLiveSession(t, &Server{})
	go s.Execute(context.Background(), "set", "a=1\nb=2")
	cmd := f.readCmd()
	id := obCmdHeaders(cmd)["event-uuid"]
	want := "sendmsg\ncall-command: execute\nexecute-app-name: set\nevent-lock: true\nEvent-UUID: " + id +
		"\nContent-Type: text/plain\nContent-Length: 7\n\na=1\nb=2"
	if cmd != want {
		t.Fatalf("sent %q, want %q", cmd, want)
	}
	f.reply("+OK")
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundConcurrentExecutesDoNotCross(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	type result struct {
		arg string
		ev  *Event
		err error
	}
	res := make(chan result, 2)
	for _, arg := range []string{"first", "second"} {
		go func() {
			ev, err := s.Execute(context.Background(), "playback", arg)
			res <- result{arg, ev, err}
		}()
	}
	a, b := f.execute(), f.execute()
	complete := fx.eventBody(t, "CHANNEL_EXECUTE_COMPLETE", 1)
	for _, cmd := range []map[string]string{b, a} { // reverse order
		ev := obSetHeader(complete, "Application-UUID", cmd["event-uuid"])
		f.event(obSetHeader(ev, "Application-Response", "done-"+cmd["execute-app-arg"]))
	}
	for range 2 {
		r := obWait(t, res)
		if r.err != nil || r.ev.Get("Application-Response") != "done-"+r.arg {
			t.Errorf("Execute(%s) = %v, %v", r.arg, r.ev.Get("Application-Response"), r.err)
		}
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundExecuteFailsOnHangup(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	errc := make(chan error, 1)
	go func() {
		_, err := s.Execute(context.Background(), "nosuchapp", "")
		errc <- err
	}()
	f.execute()
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	err := obWaitErr(t, errc)
	if !errors.Is(err, ErrHangup) || !strings.Contains(err.Error(), "NORMAL_CLEARING") {
		t.Fatalf("Execute error = %v, want ErrHangup with the cause", err)
	}
	obWait(t, s.HungUp())
	if s.HangupCause() != "NORMAL_CLEARING" {
		t.Errorf("HangupCause = %q", s.HangupCause())
	}
	// After the hangup Execute fails at once, without sending anything: the
	// next command the fake reads is the handler's exit.
	if _, err := s.Execute(context.Background(), "playback", "x"); !errors.Is(err, ErrHangup) {
		t.Errorf("Execute after hangup = %v", err)
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundExecuteFailsOnDisconnectNotice(t *testing.T) {
	for _, final := range []bool{false, true} {
		t.Run(map[bool]string{false: "linger", true: "disconnect"}[final], func(t *testing.T) {
			f, s, h, _ := obLiveSession(t, &Server{})
			errc := make(chan error, 1)
			go func() {
				_, err := s.Execute(context.Background(), "park", "")
				errc <- err
			}()
			f.execute()
			if final {
				f.write(obDisconnectNotice(s.UUID()))
			} else {
				f.write(obLingerNotice(s.UUID()))
			}
			if err := obWaitErr(t, errc); !errors.Is(err, ErrHangup) {
				t.Fatalf("Execute error = %v, want ErrHangup", err)
			}
			if !final {
				obEndSession(t, f, h, s.UUID())
				return
			}
			h.run <- func(context.Context, *Session) {}
			f.expectEOF() // the socket ended with the notice: no exit is sent
		})
	}
}

func TestOutboundExecuteConnLost(t *testing.T) {
	f, s, h, _ := obLiveSession(t, &Server{})
	errc := make(chan error, 1)
	go func() {
		_, err := s.Execute(context.Background(), "playback", "x")
		errc <- err
	}()
	f.execute()
	f.nc.Close()
	if err := obWaitErr(t, errc); !errors.Is(err, ErrConnLost) || errors.Is(err, ErrHangup) {
		t.Fatalf("Execute error = %v, want ErrConnLost", err)
	}
	ctx := obWait(t, h.ctxs)
	obWait(t, ctx.Done()) // the handler's ctx ends with the socket
	obWait(t, s.HungUp())
	if _, err := s.Execute(context.Background(), "playback", "x"); !errors.Is(err, ErrConnLost) {
		t.Errorf("Execute after close = %v", err)
	}
	h.run <- func(context.Context, *Session) {}
}

func TestOutboundExecuteContext(t *testing.T) {
	f, s, h, _ := obLiveSession(t, &Server{})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Execute(ctx, "playback", "x")
		errc <- err
	}()
	f.execute()
	cancel()
	if err := obWaitErr(t, errc); !errors.Is(err, context.Canceled) {
		t.Fatalf("Execute error = %v, want context.Canceled", err)
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundHangupCommand(t *testing.T) {
	f, s, h, _ := obLiveSession(t, &Server{})
	errc := make(chan error, 2)
	go func() { errc <- s.Hangup(context.Background(), "USER_BUSY") }()
	f.expectCmd("sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n")
	f.reply("+OK")
	go func() { errc <- s.Hangup(context.Background(), "") }()
	f.expectCmd("sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n")
	f.reply("+OK")
	for range 2 {
		if err := obWaitErr(t, errc); err != nil {
			t.Fatalf("Hangup: %v", err)
		}
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundDTMFEventsInOrder(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	park := fx.eventBody(t, "CHANNEL_PARK", 0)
	dtmf := obSetHeader(obSetHeader(park, "Event-Name", "DTMF"), "DTMF-Duration", "2000")
	for _, d := range []string{"1", "2", "%23"} {
		f.event(obSetHeader(dtmf, "DTMF-Digit", d))
	}
	obSkipPark(t, s)
	for _, want := range []string{"1", "2", "#"} {
		ev := obWait(t, s.Events())
		if ev.Name() != "DTMF" || ev.Get("DTMF-Digit") != want {
			t.Fatalf("got %s digit %q, want DTMF %q", ev.Name(), ev.Get("DTMF-Digit"), want)
		}
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundLingerKeepsHangupComplete(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	obWait(t, s.HungUp())
	f.write(obLingerNotice(s.UUID()))
	f.event(fx.eventBody(t, "CHANNEL_HANGUP_COMPLETE", 0))
	obSkipPark(t, s)
	var names []string
	for len(names) < 2 {
		names = append(names, obWait(t, s.Events()).Name())
	}
	if names[0] != "CHANNEL_HANGUP" || names[1] != "CHANNEL_HANGUP_COMPLETE" {
		t.Fatalf("events %v", names)
	}
	obEndSession(t, f, h, s.UUID())
	select {
	case _, ok := <-s.Events():
		if ok {
			t.Error("unexpected event after the end")
		}
	case <-time.After(obTimeout):
		t.Error("Events not closed after the socket ended")
	}
}

func TestOutboundHandshakeTimeout(t *testing.T) {
	called := make(chan struct{}, 1)
	srv := &Server{HandshakeTimeout: 50 * time.Millisecond, Handler: func(context.Context, *Session) { called <- struct{}{} }}
	addr, _ := obServer(t, srv)
	f := obDial(t, addr)
	f.expectCmd("connect\n\n")
	f.expectCmd("myevents\n\n") // written with connect, in one write
	f.expectEOF()               // no connect reply: the server gives up and closes
	select {
	case <-called:
		t.Error("handler ran without a handshake")
	default:
	}
}

func TestOutboundBgAPIUsesSessionSubscription(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{})
	type result struct {
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		job, err := s.BgAPI(context.Background(), "status")
		if err != nil {
			res <- result{"", err}
			return
		}
		body, err := job.Wait(context.Background())
		res <- result{body, err}
	}()
	// No second "event" command: the handshake's BACKGROUND_JOB subscription
	// is reused.
	cmd := f.readCmd()
	id := obCmdHeaders(cmd)["job-uuid"]
	if cmd != "bgapi status\nJob-UUID: "+id+"\n\n" {
		t.Fatalf("sent %q", cmd)
	}
	f.write("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + id + "\nJob-UUID: " + id + "\n\n")
	body := "Event-Name: BACKGROUND_JOB\nJob-UUID: " + id + "\nJob-Owner-UUID: " + fx.uuid() +
		"\nJob-Command: status\nContent-Length: 6\n\nUP 0s\n"
	f.event(body)
	if r := obWait(t, res); r.err != nil || r.body != "UP 0s\n" {
		t.Fatalf("BgAPI = %q, %v", r.body, r.err)
	}
	obEndSession(t, f, h, s.UUID())
}

func TestOutboundEventsQueueDropsWhenNotRead(t *testing.T) {
	f, s, h, fx := obLiveSession(t, &Server{EventQueue: 3}) // CHANNEL_PARK takes the first slot
	dtmf := obSetHeader(fx.eventBody(t, "CHANNEL_PARK", 0), "Event-Name", "DTMF")
	for _, d := range []string{"1", "2", "3", "4"} {
		f.event(obSetHeader(dtmf, "DTMF-Digit", d))
	}
	f.event(fx.eventBody(t, "CHANNEL_HANGUP", 0))
	obWait(t, s.HungUp()) // hangup detection does not depend on the queue
	obEndSession(t, f, h, s.UUID())
	obWait(t, s.Done())
	var digits []string
	for ev := range s.Events() {
		if ev.Name() != "CHANNEL_PARK" {
			digits = append(digits, ev.Get("DTMF-Digit"))
		}
	}
	if strings.Join(digits, "") != "12" || s.EventsDropped() != 3 {
		t.Errorf("kept %v, dropped %d; want the oldest 2 kept and 3 dropped", digits, s.EventsDropped())
	}
}
