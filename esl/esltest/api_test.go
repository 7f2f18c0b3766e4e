package esltest

import (
	"strings"
	"testing"
)

func TestAPIDefaults(t *testing.T) {
	s := fastSim(t, Options{Hostname: "fs1"})
	c := authed(t, s)
	if got := c.api("hostname"); got != "fs1" {
		t.Fatalf("hostname %q", got)
	}
	if got := c.api("status"); !strings.HasPrefix(got, "UP 0 years") || !strings.Contains(got, "is ready\n") {
		t.Fatalf("status %q", got)
	}
	if got := c.api("version"); !strings.HasPrefix(got, "FreeSWITCH Version 1.10.12") {
		t.Fatalf("version %q", got)
	}
	if got := c.api("global_getvar local_ip_v4"); got != "127.0.0.1" {
		t.Fatalf("global_getvar %q", got)
	}
	if got := c.api("nosuchcommand x"); got != "-ERR nosuchcommand Command not found!\n" {
		t.Fatalf("unknown %q", got)
	}
	if got := c.api("show calls count"); got != "\n0 total.\n" {
		t.Fatalf("show calls count %q", got)
	}
	s.HandleAPI("empty", func(string) string { return "" })
	if got := c.api("empty"); got != "-ERR no reply\n" {
		t.Fatalf("empty %q", got)
	}
	s.HandleAPI("echo", func(a string) string { return "[" + a + "]" })
	if got := c.api("echo   a b  "); got != "[a b]" {
		t.Fatalf("echo %q", got)
	}
}

func TestAPIOriginateAndUUIDCommands(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	const id = "11111111-2222-3333-4444-555555555555"
	if got := c.api("originate {origination_uuid=" + id + ",origination_caller_id_number=1000}loopback/9200/default &park()"); got != "+OK "+id+"\n" {
		t.Fatalf("originate %q", got)
	}
	call := s.Call(id)
	if call == nil || !call.Answered() {
		t.Fatal("call not created/answered")
	}
	checks := [][2]string{
		{"uuid_exists " + id, "true"},
		{"uuid_getvar " + id + " nosuch", "_undef_"},
		{"uuid_setvar " + id + " foo bar baz", "+OK\n"},
		{"uuid_getvar " + id + " foo", "bar baz"},
		{"uuid_getvar " + id + " caller_id_number", "1000"},
		{"uuid_recv_dtmf " + id + " 12", "+OK " + id + " received DTMF 12.\n"},
		{"show calls count", "\n1 total.\n"},
		{"uuid_kill " + id + " USER_BUSY", "+OK\n"},
	}
	for _, ck := range checks {
		if got := c.api(ck[0]); got != ck[1] {
			t.Fatalf("%s = %q, want %q", ck[0], got, ck[1])
		}
	}
	if call.PendingDTMF() != "12" {
		t.Fatalf("dtmf %q", call.PendingDTMF())
	}
	if err := call.WaitHangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if call.HangupCause() != "USER_BUSY" {
		t.Fatalf("cause %q", call.HangupCause())
	}
	if got := c.api("uuid_exists " + id); got != "false" {
		t.Fatalf("exists after kill %q", got)
	}
	if got := c.api("uuid_kill " + id); got != "-ERR No such channel!\n" {
		t.Fatalf("kill dead %q", got)
	}
}

func TestOriginateFailure(t *testing.T) {
	s := fastSim(t, Options{})
	s.FailDial("nosuchcontext", "NO_ROUTE_DESTINATION")
	c := authed(t, s)
	if got := c.api("originate loopback/5555/nosuchcontext &park"); got != "-ERR NO_ROUTE_DESTINATION\n" {
		t.Fatalf("originate %q", got)
	}
}

func TestBgapiClientJobUUID(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain BACKGROUND_JOB")
	c.expectReply("+OK event listener enabled plain")
	const job = "11111111-2222-3333-4444-555555555555"
	c.send("bgapi version\nJob-UUID: " + job)
	f := c.read()
	if f.raw != "Content-Type: command/reply\nReply-Text: +OK Job-UUID: "+job+"\nJob-UUID: "+job+"\n\n" {
		t.Fatalf("bgapi reply %q", f.raw)
	}
	ev := c.event()
	if ev.get("Event-Name") != "BACKGROUND_JOB" || ev.get("Job-UUID") != job || ev.get("Job-Command") != "version" {
		t.Fatalf("job event %q", ev.raw)
	}
	if _, ok := ev.headers["Job-Command-Arg"]; ok {
		t.Fatal("Job-Command-Arg without args")
	}
	if !strings.HasPrefix(ev.body, "FreeSWITCH Version") {
		t.Fatalf("job body %q", ev.body)
	}
	c.send("bgapi uuid_getvar nosuch x")
	if id := c.expectType("command/reply").get("Job-UUID"); len(id) != 36 {
		t.Fatalf("generated job id %q", id)
	}
	ev = c.event()
	if ev.get("Job-Command-Arg") != "nosuch x" || ev.body != "-ERR No such channel!\n" {
		t.Fatalf("job 2 %q", ev.raw)
	}
}
