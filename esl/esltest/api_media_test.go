package esltest

import (
	"strings"
	"testing"
)

// startLongPlayback subscribes ev to DTMF and execute events and starts a
// (simulated) 100 000 s playback without terminators on call through cmd.
func startLongPlayback(t *testing.T, call *Call, cmd, ev *raw) {
	t.Helper()
	ev.send("event plain DTMF CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE")
	ev.expectReply("+OK event listener enabled plain")
	cmd.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: playback\n" +
		"execute-app-arg: %[playback_terminators=none]silence_stream://100000000")
	cmd.expectReply("+OK")
	if e := ev.eventNamed("CHANNEL_EXECUTE"); e.get("Application") != "playback" {
		t.Fatalf("CHANNEL_EXECUTE of %q", e.get("Application"))
	}
}

// TestFilemanDuringPlayback: a digit pressed during a playback reaches the
// socket as a DTMF event without ending it, "seek" is accepted and leaves
// it playing, "stop" ends it with a normal completion.
func TestFilemanDuringPlayback(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	cmd, ev := authed(t, s), authed(t, s)
	startLongPlayback(t, call, cmd, ev)
	call.SendDTMF("5")
	if e := ev.eventNamed("DTMF"); e.get("DTMF-Digit") != "5" {
		t.Fatalf("DTMF-Digit = %q", e.get("DTMF-Digit"))
	}
	if got := cmd.api("uuid_fileman " + call.UUID() + " seek:+1000"); got != "+OK\n" {
		t.Fatalf("uuid_fileman seek = %q", got)
	}
	if ex := call.Executed(); len(ex) != 1 || ex[0].Done {
		t.Fatalf("playback ended by a digit or seek: %+v", ex)
	}
	if got := cmd.api("uuid_fileman " + call.UUID() + " stop"); got != "+OK\n" {
		t.Fatalf("uuid_fileman stop = %q", got)
	}
	e := ev.eventNamed("CHANNEL_EXECUTE_COMPLETE")
	if e.get("Application") != "playback" || e.get("Application-Response") != "FILE PLAYED" {
		t.Fatalf("completion %q %q", e.get("Application"), e.get("Application-Response"))
	}
	if !s.commandSeen("api uuid_fileman " + call.UUID() + " seek:+1000") {
		t.Error("uuid_fileman seek not recorded in Commands")
	}
}

// TestUUIDBreakEndsPlayback: uuid_break ends a running playback early
// with its CHANNEL_EXECUTE_COMPLETE.
func TestUUIDBreakEndsPlayback(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	cmd, ev := authed(t, s), authed(t, s)
	startLongPlayback(t, call, cmd, ev)
	if got := cmd.api("uuid_break " + call.UUID()); got != "+OK\n" {
		t.Fatalf("uuid_break = %q", got)
	}
	e := ev.eventNamed("CHANNEL_EXECUTE_COMPLETE")
	if e.get("Application") != "playback" || e.get("Application-Response") != "FILE PLAYED" {
		t.Fatalf("completion %q %q", e.get("Application"), e.get("Application-Response"))
	}
}

// TestFilemanErrors covers usage, unknown channels, and a stop with no
// file playing (accepted, a no-op).
func TestFilemanErrors(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	for line, want := range map[string]string{
		"uuid_fileman":                                   "-USAGE: <uuid> <cmd>:<val>\n",
		"uuid_fileman " + call.UUID():                    "-USAGE: <uuid> <cmd>:<val>\n",
		"uuid_fileman 00000000-dead-beef-0000-0 stop":    noSuchChannel,
		"uuid_fileman " + call.UUID() + " stop":          "+OK\n",
		"uuid_fileman " + call.UUID() + " volume:+1 bad": "-USAGE: <uuid> <cmd>:<val>\n",
	} {
		if got := s.API(line); got != want {
			t.Errorf("%s = %q, want %q", line, got, want)
		}
	}
}

// commandSeen reports whether a command line was received.
func (s *Server) commandSeen(line string) bool {
	for _, c := range s.Commands() {
		if strings.EqualFold(c.Line, line) {
			return true
		}
	}
	return false
}
