package esltest

import (
	"strings"
	"testing"
)

// The replies of hash, db, reloadxml, sofia status, show channels and
// uuid_send_dtmf (hash's, reloadxml's and uuid_send_dtmf's as a real
// FreeSWITCH 1.10.12 gave them).
func TestAPIPlausibleReplies(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	for _, step := range [][2]string{
		{"hash insert/realm/k1/v/1", "+OK\n"},
		{"hash select/realm/k1", "v/1"},
		{"hash insert_ifempty/realm/k1/x", "-ERR key already exists\n"},
		{"hash delete_ifmatch/realm/k1/x", "-ERR Doesn't match\n"},
		{"hash delete/realm/k1", "+OK\n"},
		{"hash delete/realm/k1", "-ERR Not found\n"},
		{"hash select/realm/k1", "-ERR no reply\n"},
		{"hash", hashUsage},
		{"db insert/r/k/v", "+OK"},
		{"db exists/r/k", "true"},
		{"db select/r/k", "v"},
		{"db count/r", "1"},
		{"db list", "r"},
		{"db delete/r/k", "+OK"},
		{"db exists/r/k", "false"},
		{"db bogus", "!err!"},
		{"reloadxml", "+OK [Success]\n"},
		{"show channels", "\n0 total.\n"},
		{"uuid_send_dtmf nosuch 1", "-ERR Cannot locate session!\n"},
	} {
		if got := c.api(step[0]); got != step[1] {
			t.Errorf("%s: %q, want %q", step[0], got, step[1])
		}
	}
	if got := c.api("sofia status"); !strings.Contains(got, "internal\tprofile\t") || !strings.HasSuffix(got, "\n2 profiles 0 aliases\n") {
		t.Errorf("sofia status %q", got)
	}
	call := s.NewCall(CallOptions{CallerIDNumber: "1000", Destination: "5000"})
	got := c.api("show channels")
	lines := strings.Split(got, "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "uuid,direction,created,") ||
		!strings.HasPrefix(lines[1], call.UUID()+",inbound,") || lines[3] != "1 total." {
		t.Errorf("show channels %q", got)
	}
	if got := c.api("uuid_send_dtmf " + call.UUID() + " 12"); got != "+OK "+call.UUID()+" sent DTMF 12.\n" || call.SentDTMF() != "12" {
		t.Errorf("uuid_send_dtmf %q, sent %q", got, call.SentDTMF())
	}
}

func TestReloadxmlFiresEvent(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain RELOADXML")
	c.expectReply("+OK event listener enabled plain")
	c.api("reloadxml")
	if e := c.event(); e.get("Event-Name") != "RELOADXML" {
		t.Fatalf("event %q", e.raw)
	}
}

// ReplyAPI answers whole command lines and their extensions, longest
// first, before the handlers.
func TestReplyAPI(t *testing.T) {
	s := fastSim(t, Options{})
	s.ReplyAPI("sofia status", "one\n")
	s.ReplyAPI("SOFIA status profile internal", "two\n")
	s.ReplyAPI("status", "")
	for line, want := range map[string]string{
		"sofia status":                    "one\n",
		"sofia  status gateway gw1":       "one\n",
		"Sofia status profile internal x": "two\n",
		"sofia statusx":                   "-ERR the simulator models `sofia status` only (script other replies)\n",
		"status":                          "-ERR no reply\n",
		"version":                         versionLine,
	} {
		if got := s.API(line); got != want {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
	s.ReplyAPI("sofia status", "three\n")
	if got := s.API("sofia status"); got != "three\n" {
		t.Errorf("replaced: %q", got)
	}
}
