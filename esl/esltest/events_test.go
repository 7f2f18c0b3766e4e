package esltest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEventSubscriptionReplies(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	steps := [][2]string{
		{"event plain NOSUCH", "-ERR no keywords supplied"},
		{"event json", "-ERR no keywords supplied"},
		{"event HEARTBEAT", "+OK event listener enabled json"}, // format is sticky
		{"event plain CHANNEL_ANSWER CUSTOM my::sub", "+OK event listener enabled plain"},
		{"nixevent CHANNEL_ANSWER", "+OK events nixed"},
		{"nixevent BOGUS", "-ERR no keywords supplied"},
		{"filter Unique-ID", "-ERR invalid syntax"},
		{"filter Unique-ID abc", "+OK filter added. [Unique-ID]=[abc]"},
		{"filter add Event-Name CUSTOM", "+OK filter added. [Event-Name]=[CUSTOM]"},
		{"filter delete Unique-ID abc", "+OK filter deleted. [Unique-ID][abc]"},
		{"filter delete all", "+OK filter deleted. [all][]"},
		{"noevents", "+OK no longer listening for events"},
		{"noevents", "-ERR not listening for events"},
		{"linger", "-ERR not controlling a session"},
		{"nolinger", "-ERR not controlling a session"},
		{"divert_events on", "-ERR not controlling a session."},
		{"divertevents on", "-ERR command not found"},
		{"log 7", "+OK log level 7 [7]"},
		{"log", "+OK log level  [7]"},
		{"log bogus", "-ERR invalid log level"},
		{"nolog", "+OK no longer logging"},
		{"nolog", "-ERR not loging"},
		{"myevents 00000000-0000-0000-0000-000000000000", "-ERR invalid uuid"},
		{"foo bar", "-ERR command not found"},
	}
	for _, st := range steps {
		c.send(st[0])
		c.expectReply(st[1])
	}
}

func TestHeartbeatPrepHeaders(t *testing.T) {
	s := fastSim(t, Options{Hostname: "fs1"})
	c := authed(t, s)
	c.send("event plain HEARTBEAT")
	c.expectReply("+OK event listener enabled plain")
	s.Heartbeat()
	e := c.event()
	want := []string{"Event-Name", "Core-UUID", "FreeSWITCH-Hostname", "FreeSWITCH-Switchname",
		"FreeSWITCH-IPv4", "FreeSWITCH-IPv6", "Event-Date-Local", "Event-Date-GMT",
		"Event-Date-Timestamp", "Event-Calling-File", "Event-Calling-Function",
		"Event-Calling-Line-Number", "Event-Sequence", "Event-Info"}
	lines := strings.Split(e.raw, "\n")
	for i, n := range want {
		if !strings.HasPrefix(lines[i], n+": ") {
			t.Fatalf("line %d = %q, want %s", i, lines[i], n)
		}
	}
	if e.get("Event-Info") != "System Ready" || !strings.Contains(e.raw, "Event-Info: System%20Ready\n") {
		t.Fatalf("not URL-encoded: %q", e.raw)
	}
	if e.get("Core-UUID") != s.CoreUUID() || e.get("FreeSWITCH-Hostname") != "fs1" {
		t.Fatalf("prep headers %q", e.raw)
	}
}

func TestEventJSONFormat(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event json HEARTBEAT")
	c.expectReply("+OK event listener enabled json")
	s.Heartbeat()
	f := c.expectType("text/event-json")
	var m map[string]any
	if err := json.Unmarshal([]byte(f.body), &m); err != nil || m["Event-Name"] != "HEARTBEAT" {
		t.Fatalf("json %v %q", err, f.body)
	}
}

// fireTagged fires CUSTOM esl::t events with header X-Tag=tag.
func fireTagged(s *Server, tags ...string) {
	for _, tag := range tags {
		ev := s.CustomEvent("esl::t")
		ev.Add("X-Tag", tag)
		ev.Add("X-Kind", "k-"+tag)
		s.Fire(ev)
	}
}

// tagsUntilEnd reads events until X-Tag "end" and returns the tags seen.
func tagsUntilEnd(c *raw) []string {
	var got []string
	for {
		tag := c.event().get("X-Tag")
		if tag == "end" {
			return got
		}
		got = append(got, tag)
	}
}

func TestFilterSemantics(t *testing.T) {
	cases := []struct {
		name    string
		filters []string
		want    string
	}{
		{"none", nil, "a,b,c"},
		{"positive", []string{"X-Tag a", "X-Tag end"}, "a"},
		{"positive any of two", []string{"X-Tag a", "X-Tag c", "X-Tag end"}, "a,c"},
		{"negative veto", []string{"Event-Name CUSTOM", "X-Tag -b"}, "a,c"},
		{"regex", []string{"X-Kind /^k-[ab]$/", "X-Tag end"}, "a,b"},
		{"negative regex is literal", []string{"Event-Name CUSTOM", "X-Kind -/^k-a$/"}, "a,b,c"},
		{"missing header ignored", []string{"X-None x", "X-Tag b", "X-Tag end"}, "b"},
		{"case-insensitive", []string{"X-Tag C", "X-Tag end"}, "c"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := fastSim(t, Options{})
			c := authed(t, s)
			c.send("event plain CUSTOM esl::t")
			c.expectReply("+OK event listener enabled plain")
			for _, f := range tc.filters {
				c.send("filter " + f)
				c.expectType("command/reply")
			}
			fireTagged(s, "a", "b", "c", "end")
			if got := strings.Join(tagsUntilEnd(c), ","); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCustomSubclassAndAll(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain CUSTOM other::sub")
	c.expectReply("+OK event listener enabled plain")
	fireTagged(s, "skipped")
	ev := s.CustomEvent("other::sub")
	ev.Add("X-Tag", "end")
	s.Fire(ev)
	if got := tagsUntilEnd(c); len(got) != 0 {
		t.Fatalf("unsubscribed subclass delivered: %v", got)
	}
	d := authed(t, s)
	d.send("event plain ALL")
	d.expectReply("+OK event listener enabled plain")
	d.send("nixevent HEARTBEAT")
	d.expectReply("+OK events nixed")
	s.Heartbeat()
	// FreeSWITCH quirk: nixevent under ALL keeps event_list[CUSTOM] but not
	// the subclasses, so subclassed CUSTOM events stop too.
	fireTagged(s, "custom-lost")
	for _, tag := range []string{"x", "end"} {
		ev := s.NewEvent("NOTIFY")
		ev.Add("X-Tag", tag)
		s.Fire(ev)
	}
	if got := tagsUntilEnd(d); strings.Join(got, ",") != "x" {
		t.Fatalf("ALL minus HEARTBEAT: %v", got)
	}
}

func TestSendevent(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	c.send("event plain CUSTOM esl::test")
	c.expectReply("+OK event listener enabled plain")
	c.send("sendevent CUSTOM\nEvent-Subclass: esl::test\nX-Test-Header: some value\nContent-Type: text/plain\nContent-Length: 11\n\nhello\nworld")
	r := c.expectType("command/reply")
	id := strings.TrimPrefix(r.get("Reply-Text"), "+OK ")
	e := c.event()
	lines := strings.Split(e.raw, "\n")
	if lines[0] != "Event-Subclass: esl%3A%3Atest" || lines[1] != "Command: sendevent%20CUSTOM" {
		t.Fatalf("header order %q", e.raw)
	}
	if e.get("Event-UUID") != id || e.get("X-Test-Header") != "some value" || e.body != "hello\nworld" {
		t.Fatalf("event %q", e.raw)
	}
	if strings.Count(e.raw, "Content-Length: 11\n") != 2 {
		t.Fatalf("want the client's Content-Length kept as a header too: %q", e.raw)
	}
}

func TestSendeventToChannelQueue(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	c := authed(t, s)
	c.send("event plain ALL")
	c.expectReply("+OK event listener enabled plain")
	c.send("sendevent NOTIFY\nUnique-ID: " + call.UUID() + "\nX-Tag: queued")
	c.expectType("command/reply")
	fireTagged(s, "end")
	if got := tagsUntilEnd(c); len(got) != 0 {
		t.Fatalf("channel event was fired globally: %v", got)
	}
	if r := call.ReceivedEvents(); len(r) != 1 || r[0].Get("X-Tag") != "queued" {
		t.Fatalf("received %v", r)
	}
}

func TestWaitSubscribedAndLog(t *testing.T) {
	s := fastSim(t, Options{})
	c := authed(t, s)
	if s.Subscribed("CHANNEL_ANSWER") {
		t.Fatal("subscribed before event command")
	}
	go c.send("event plain CHANNEL_ANSWER")
	if err := s.WaitSubscribed(ctxT(t), "CHANNEL_ANSWER"); err != nil {
		t.Fatal(err)
	}
	c.expectReply("+OK event listener enabled plain")
	c.send("log 6")
	c.expectReply("+OK log level 6 [6]")
	s.Log(7, "debug line\n")
	s.Log(6, "info line\n")
	f := c.expectType("log/data")
	if f.body != "info line\n" || f.get("Log-Level") != "6" || !strings.Contains(f.raw, "User-Data: \n") {
		t.Fatalf("log frame %q", f.raw+f.body)
	}
}

func TestInboundMyeventsDivertAndHangup(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{})
	other := s.NewCall(CallOptions{})
	c := authed(t, s)
	c.send("myevents " + call.UUID())
	c.expectReply("+OK Events Enabled")
	c.send("divert_events on")
	c.expectReply("+OK events diverted")
	d := authed(t, s)
	d.send("sendevent CUSTOM\nEvent-Subclass: x::y\nUnique-ID: " + call.UUID() + "\nX-Tag: diverted")
	d.expectType("command/reply")
	if e := c.event(); e.get("X-Tag") != "diverted" {
		t.Fatalf("diverted event %q", e.raw)
	}
	other.Answer() // another call's events are filtered out by myevents
	call.Answer()
	if e := c.event(); e.get("Unique-ID") != call.UUID() || e.get("Event-Name") != "CHANNEL_ANSWER" {
		t.Fatalf("myevents leaked %q", e.raw)
	}
	call.Hangup("")
	c.eventNamed("CHANNEL_HANGUP_COMPLETE")
	if f := c.read(); f.get("Controlled-Session-UUID") != call.UUID() || f.body != byeMessage {
		t.Fatalf("notice %q", f.raw)
	}
	c.expectClosed()
}
