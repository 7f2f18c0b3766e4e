package esltest

import (
	"net"
	"net/url"
	"strings"
	"testing"
)

func urlEncode(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// originate '&socket(addr async full)' connects the new call to an
// outbound socket server; unquoted, the blanks split the command as on
// FreeSWITCH and only the address reaches the socket application.
func TestOriginateIntoSocket(t *testing.T) {
	s := fastSim(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct{ target, data, mode string }{
		{"'&socket(" + ln.Addr().String() + " async full)'", ln.Addr().String() + " async full", "Socket-Mode: async\nControl: full\n"},
		{"&socket(" + ln.Addr().String() + " async full)", ln.Addr().String(), "Socket-Mode: static\nControl: single-channel\n"},
	} {
		out := s.API("originate {origination_uuid=u-" + itoa(len(tc.data)) + "}loopback/9000/default " + tc.target)
		if !strings.HasPrefix(out, "+OK u-") {
			t.Fatalf("originate %s: %q", tc.target, out)
		}
		nc, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c := wrapRaw(t, nc)
		c.send("connect")
		f := c.read()
		if !strings.Contains(f.raw, "Unique-ID: u-"+itoa(len(tc.data))+"\n") ||
			!strings.Contains(f.raw, "variable_current_application_data: "+urlEncode(tc.data)+"\n") ||
			!strings.Contains(f.raw, tc.mode) {
			t.Fatalf("%s: connect reply %q", tc.target, f.raw)
		}
		if strings.Contains(tc.mode, "async") { // parks the call, as FreeSWITCH does just after connect
			c.send("myevents")
			c.expectReply("+OK Events Enabled")
			c.eventNamed("CHANNEL_PARK")
		}
		c.send("exit")
		c.expectReply("+OK bye")
		call := s.Call("u-" + itoa(len(tc.data)))
		if err := call.WaitHangup(ctxT(t)); err != nil || call.HangupCause() != "NORMAL_CLEARING" {
			t.Fatalf("%s: hangup %v %q", tc.target, err, call.HangupCause())
		}
	}
}

// A socket application whose connection fails returns at once, even in
// async mode, and the originated call's extension ends.
func TestOriginateIntoClosedSocket(t *testing.T) {
	s := fastSim(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if out := s.API("originate {origination_uuid=u-closed}loopback/9000 '&socket(" + addr + " async full)'"); out != "+OK u-closed\n" {
		t.Fatalf("originate %q", out)
	}
	call := s.Call("u-closed")
	if err := call.WaitHangup(ctxT(t)); err != nil || call.HangupCause() != "NORMAL_CLEARING" || call.SocketState() != SocketReturned {
		t.Fatalf("hangup %v %q, socket %s", err, call.HangupCause(), call.SocketState())
	}
}
