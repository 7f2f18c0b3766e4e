package esltest

import (
	"strings"
	"testing"
)

const byeNotice = "Content-Type: text/disconnect-notice\nContent-Length: 67\n\n" + byeMessage

func TestGreetingAuthExit(t *testing.T) {
	s := fastSim(t, Options{})
	c := dialRaw(t, s.Addr())
	f := c.read()
	if f.raw != "Content-Type: auth/request\n\n" {
		t.Fatalf("greeting %q", f.raw)
	}
	c.send("auth ClueCon")
	if f := c.read(); f.raw != "Content-Type: command/reply\nReply-Text: +OK accepted\n\n" {
		t.Fatalf("auth reply %q", f.raw)
	}
	c.send("exit")
	c.expectReply("+OK bye")
	if f := c.read(); f.raw+f.body != byeNotice {
		t.Fatalf("notice %q", f.raw+f.body)
	}
	c.expectClosed()
}

func TestAuthFail(t *testing.T) {
	s := fastSim(t, Options{Password: "secret"})
	c := dialRaw(t, s.Addr())
	c.expectType("auth/request")
	c.send("auth ClueCon")
	c.expectReply("-ERR invalid")
	if f := c.read(); f.raw+f.body != byeNotice {
		t.Fatalf("notice %q", f.raw+f.body)
	}
	c.expectClosed()
}

func TestCommandBeforeAuth(t *testing.T) {
	s := fastSim(t, Options{})
	c := dialRaw(t, s.Addr())
	c.expectType("auth/request")
	c.send("api status")
	c.expectReply("-ERR command not found")
	c.send("auth ClueCon")
	c.expectReply("+OK accepted")
}

func TestCRLFCommands(t *testing.T) {
	s := fastSim(t, Options{})
	c := dialRaw(t, s.Addr())
	c.expectType("auth/request")
	c.send("\r\nauth ClueCon\r\n\r\n")
	c.expectReply("+OK accepted")
}

func TestUserauth(t *testing.T) {
	s := fastSim(t, Options{Users: map[string]string{"bob@example.com": "pw"}})
	c := dialRaw(t, s.Addr())
	c.expectType("auth/request")
	c.send("userauth bob@example.com:pw")
	f := c.read()
	want := "Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n"
	if f.raw != want {
		t.Fatalf("userauth reply %q", f.raw)
	}
	d := dialRaw(t, s.Addr())
	d.expectType("auth/request")
	d.send("userauth bob:bad@example.com")
	d.expectReply("-ERR invalid")
}

func TestRudeRejection(t *testing.T) {
	s := fastSim(t, Options{RejectACL: true})
	c := dialRaw(t, s.Addr())
	f := c.read()
	if got := f.raw + f.body; got != "Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n" {
		t.Fatalf("rejection %q", got)
	}
	c.expectClosed()
}

func TestCommandsRecorded(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("sendevent CUSTOM\nEvent-Subclass: a::b\nContent-Length: 2\n\nhi")
	c.expectType("command/reply")
	cmd, err := s.WaitCommand(ctxT(t), "sendevent")
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Get("event-subclass") != "a::b" || cmd.Body != "hi" || cmd.Name() != "sendevent" || cmd.Arg() != "CUSTOM" {
		t.Fatalf("recorded %+v", cmd)
	}
	if !strings.HasPrefix(s.Commands()[0].Line, "auth ") {
		t.Fatalf("first command %q", s.Commands()[0].Line)
	}
}
