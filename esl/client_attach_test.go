package esl

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const attachUUID = "7f4de4bc-1c4a-4c8b-9e1f-2f5b4f0d6a11"

// attachDump is what "api uuid_dump <uuid> json" answers.
const attachDump = `{"Event-Name":"CHANNEL_DATA","Unique-ID":"` + attachUUID +
	`","Channel-Name":"sofia/gw/1000","variable_foo":"a b"}`

// attachHandshake plays FreeSWITCH's side of Attach up to the channel
// data, asserting the exact bytes of every command.
func attachHandshake(p *peer) bool {
	p.send(frGreeting)
	if !p.expect("auth " + testPassword + "\n\n") {
		return false
	}
	p.send(frReply("+OK accepted"))
	if !p.expect("myevents " + attachUUID + "\n\n") {
		return false
	}
	p.send(frReply("+OK Events Enabled"))
	if !p.expect("event plain BACKGROUND_JOB\n\n") {
		return false
	}
	p.send(frReply("+OK event listener enabled plain"))
	if !p.expect("api uuid_dump " + attachUUID + " json\n\n") {
		return false
	}
	p.send(frAPI(attachDump))
	return true
}

// expectAttachedExecute reads an Execute of playback x.wav and checks its
// exact bytes; it returns the Event-UUID.
func expectAttachedExecute(p *peer) string {
	p.t.Helper()
	got := p.read()
	_, id, _ := strings.Cut(got, "Event-UUID: ")
	id = strings.TrimSpace(id)
	want := "sendmsg " + attachUUID + "\ncall-command: execute\nexecute-app-name: playback\n" +
		"execute-app-arg: x.wav\nevent-lock: true\nEvent-UUID: " + id + "\n\n"
	if got != want || len(id) != 36 {
		p.t.Errorf("execute = %q, want %q", got, want)
	}
	return id
}

// dialAttach dials a client whose second connection runs attach.
func dialAttach(t *testing.T, attach func(*peer)) (*Client, *Session) {
	t.Helper()
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) { authOK(p); p.read() }, attach)
	c, err := dialTest(s.addr(), Options{Node: "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	sess, err := c.Attach(ctx, attachUUID)
	if err != nil {
		t.Fatalf("Attach: %v", err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	return c, sess
}

func TestAttachExecuteAndHangup(t *testing.T) {
	done := make(chan struct{})
	_, sess := dialAttach(t, func(p *peer) {
		defer close(done)
		if !attachHandshake(p) {
			return
		}
		id := expectAttachedExecute(p)
		p.send(frReply("+OK"))
		p.send(frEvent("", "Event-Name", "CHANNEL_EXECUTE_COMPLETE", "Unique-ID", attachUUID,
			"Application-UUID", id, "Application-Response", "FILE%20PLAYED"))
		if !p.expect("sendmsg " + attachUUID + "\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n") {
			return
		}
		p.send(frReply("+OK"))
		p.send(frEvent("", "Event-Name", "CHANNEL_HANGUP", "Unique-ID", attachUUID, "Hangup-Cause", "USER_BUSY"))
		p.send(frBye)
	})
	if sess.UUID() != attachUUID || sess.Data.Get("Channel-Name") != "sofia/gw/1000" || sess.Data.Var("foo") != "a b" {
		t.Fatalf("uuid %q, data %v", sess.UUID(), sess.Data)
	}
	ctx := context.Background()
	ev, err := sess.Execute(ctx, "playback", "x.wav")
	if err != nil || ev.Get("Application-Response") != "FILE PLAYED" {
		t.Fatalf("Execute: %v, %v", ev, err)
	}
	if err := sess.Hangup(ctx, "USER_BUSY"); err != nil {
		t.Fatal(err)
	}
	recvWithin(t, sess.HungUp())
	recvWithin(t, sess.Done())
	if _, err := sess.Execute(ctx, "playback", "x.wav"); !errors.Is(err, ErrHangup) || sess.HangupCause() != "USER_BUSY" {
		t.Fatalf("Execute after hangup: %v (cause %q), want ErrHangup", err, sess.HangupCause())
	}
	<-done
}

func TestAttachExecuteFailsOnConnLoss(t *testing.T) {
	_, sess := dialAttach(t, func(p *peer) {
		if attachHandshake(p) {
			expectAttachedExecute(p)
			p.send(frReply("+OK"))
		} // the script returns: the socket closes
	})
	if _, err := sess.Execute(context.Background(), "playback", "x.wav"); !errors.Is(err, ErrConnLost) {
		t.Fatalf("Execute: %v, want ErrConnLost", err)
	}
}

func TestAttachUnknownUUID(t *testing.T) {
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) { authOK(p); p.read() }, func(p *peer) {
		p.send(frGreeting)
		p.read()
		p.send(frReply("+OK accepted"))
		p.read()
		p.send(frReply("-ERR invalid uuid"))
		p.read()
	})
	c, err := dialTest(s.addr(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Attach(context.Background(), attachUUID)
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Text != "invalid uuid" || strings.Contains(err.Error(), testPassword) {
		t.Fatalf("Attach: %v, want -ERR invalid uuid", err)
	}
	for _, bad := range []string{"", "a b", "x\nevent plain ALL"} {
		if _, err := c.Attach(context.Background(), bad); !errors.Is(err, ErrBadUUID) {
			t.Errorf("Attach(%q): %v, want ErrBadUUID", bad, err)
		}
	}
}
