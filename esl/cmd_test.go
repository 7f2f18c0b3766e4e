package esl

import (
	"regexp"
	"strings"
	"testing"
)

func TestCommandWire(t *testing.T) {
	long := strings.Repeat("x", MaxHeaderArg+1)
	tests := []struct {
		name string
		cmd  Command
		want string
	}{
		{"auth", Auth{Password: "ClueCon"}, "auth ClueCon\n\n"},
		{"userauth", UserAuth{User: "1000@example.com", Password: "pw"}, "userauth 1000@example.com:pw\n\n"},
		{"api", API{Command: "status"}, "api status\n\n"},
		{"api args", API{Command: "eval ${domain}"}, "api eval ${domain}\n\n"},
		{"api newline injection", API{Command: "status\n\nexit"}, "api status  exit\n\n"},
		{"bgapi", BgAPI{Command: "version", JobUUID: "11111111-2222-3333-4444-555555555555"},
			"bgapi version\nJob-UUID: 11111111-2222-3333-4444-555555555555\n\n"},
		{"bgapi no uuid", BgAPI{Command: "status"}, "bgapi status\n\n"},
		{"event plain custom last", EventCmd{Names: []string{"CHANNEL_ANSWER", "CUSTOM sofia::register"}},
			"event plain CHANNEL_ANSWER CUSTOM sofia::register\n\n"},
		{"event subclass first", EventCmd{Names: []string{"sofia::register", "CHANNEL_ANSWER"}},
			"event plain CHANNEL_ANSWER CUSTOM sofia::register\n\n"},
		{"event fixture", EventCmd{Names: []string{"CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CUSTOM", "esl::test"}},
			"event plain CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE CUSTOM esl::test\n\n"},
		{"event json dedup", EventCmd{Format: FormatJSON, Names: []string{"BACKGROUND_JOB", "HEARTBEAT", "BACKGROUND_JOB"}},
			"event json BACKGROUND_JOB HEARTBEAT\n\n"},
		{"event xml", EventCmd{Format: FormatXML, Names: []string{"ALL"}}, "event xml ALL\n\n"},
		{"nixevent", NixEvent{Names: []string{"CHANNEL_EXECUTE"}}, "nixevent CHANNEL_EXECUTE\n\n"},
		{"nixevent custom", NixEvent{Names: []string{"a::b", "DTMF"}}, "nixevent DTMF CUSTOM a::b\n\n"},
		{"noevents", NoEvents{}, "noevents\n\n"},
		{"filter", Filter{Header: "Unique-ID", Value: "c0ec"}, "filter Unique-ID c0ec\n\n"},
		{"filter delete", FilterDelete{Header: "Unique-ID", Value: "c0ec"}, "filter delete Unique-ID c0ec\n\n"},
		{"filter delete header", FilterDelete{Header: "Unique-ID"}, "filter delete Unique-ID\n\n"},
		{"filter delete all", FilterDeleteAll{}, "filter delete all\n\n"},
		{"sendmsg", SendMsg{UUID: "u1", CallCommand: "nomedia", Headers: []MsgHeader{{"nomedia-uuid", "u2"}}},
			"sendmsg u1\ncall-command: nomedia\nnomedia-uuid: u2\n\n"},
		{"sendmsg body", SendMsg{CallCommand: "execute", Headers: []MsgHeader{{"execute-app-name", "set"}}, Body: "a=b\nc"},
			"sendmsg\ncall-command: execute\nexecute-app-name: set\nContent-Type: text/plain\nContent-Length: 5\n\na=b\nc"},
		{"execute", Execute{App: "playback", Arg: "silence_stream://500", EventUUID: "0f0f"},
			"sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: silence_stream://500\nevent-lock: true\nEvent-UUID: 0f0f\n\n"},
		{"execute uuid no arg", Execute{UUID: "u1", App: "answer"},
			"sendmsg u1\ncall-command: execute\nexecute-app-name: answer\nevent-lock: true\n\n"},
		{"execute options", Execute{App: "playback", Arg: "x.wav", Loops: -1, Async: true, NoLock: true},
			"sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: x.wav\nloops: -1\nasync: true\n\n"},
		{"execute newline arg", Execute{App: "lua", Arg: "a\nb", EventUUID: "e1"},
			"sendmsg\ncall-command: execute\nexecute-app-name: lua\nevent-lock: true\nEvent-UUID: e1\nContent-Type: text/plain\nContent-Length: 3\n\na\nb"},
		{"execute long arg", Execute{App: "set", Arg: long},
			"sendmsg\ncall-command: execute\nexecute-app-name: set\nevent-lock: true\nContent-Type: text/plain\nContent-Length: 2049\n\n" + long},
		{"hangup", Hangup{Cause: "USER_BUSY"}, "sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n"},
		{"hangup default", Hangup{UUID: "u1"}, "sendmsg u1\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n"},
		{"xferext", XferExt{UUID: "u1", Apps: []XferApp{{"answer", ""}, {"playback", "a.wav"}, {"hangup", "NORMAL_CLEARING"}}},
			"sendmsg u1\ncall-command: xferext\napplication: answer\napplication: playback a.wav\napplication: hangup NORMAL_CLEARING\n\n"},
		{"unicast", Unicast{UUID: "u1", LocalIP: "127.0.0.1", LocalPort: 8025, RemoteIP: "10.0.0.1", RemotePort: 8026, Transport: "udp", Flags: "native"},
			"sendmsg u1\ncall-command: unicast\nlocal-ip: 127.0.0.1\nlocal-port: 8025\nremote-ip: 10.0.0.1\nremote-port: 8026\ntransport: udp\nflags: native\n\n"},
		{"unicast defaults", Unicast{}, "sendmsg\ncall-command: unicast\n\n"},
		{"sendevent fixture", SendEvent{Name: "CUSTOM", Subclass: "esl::test",
			Headers: []MsgHeader{{"X-Test-Header", "some value with spaces"}}, Body: "hello from a raw socket\nsecond line\n"},
			"sendevent CUSTOM\nEvent-Subclass: esl::test\nX-Test-Header: some value with spaces\nContent-Length: 36\n\nhello from a raw socket\nsecond line\n"},
		{"sendevent no encoding", SendEvent{Name: "NOTIFY", Headers: []MsgHeader{{"profile", "a b%20c&d"}}},
			"sendevent NOTIFY\nprofile: a b%20c&d\n\n"},
		{"log", Log{Level: "7"}, "log 7\n\n"},
		{"log default", Log{}, "log\n\n"},
		{"nolog", NoLog{}, "nolog\n\n"},
		{"linger", Linger{}, "linger\n\n"},
		{"linger 5", Linger{Seconds: 5}, "linger 5\n\n"},
		{"nolinger", NoLinger{}, "nolinger\n\n"},
		{"myevents", MyEvents{}, "myevents\n\n"},
		{"myevents json", MyEvents{Format: FormatJSON}, "myevents json\n\n"},
		{"myevents uuid", MyEvents{UUID: "c0ec"}, "myevents c0ec\n\n"},
		{"myevents uuid xml", MyEvents{UUID: "c0ec", Format: FormatXML}, "myevents c0ec xml\n\n"},
		{"divert on", DivertEvents{On: true}, "divert_events on\n\n"},
		{"divert off", DivertEvents{}, "divert_events off\n\n"},
		{"resume", Resume{}, "resume\n\n"},
		{"getvar", GetVar{Name: "destination_number"}, "getvar destination_number\n\n"},
		{"exit", Exit{}, "exit\n\n"},
		{"connect", Connect{}, "connect\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte("keep")
			got := string(tt.cmd.AppendWire(prefix))
			if got != "keep"+tt.want {
				t.Errorf("wire:\n got %q\nwant %q", got, "keep"+tt.want)
			}
			if s := tt.cmd.String(); s == "" || strings.Contains(s, "\n") {
				t.Errorf("String() = %q, want one non-empty line", s)
			}
		})
	}
}

func TestCommandStringRedactsPassword(t *testing.T) {
	for _, c := range []Command{Auth{Password: "s3cret"}, UserAuth{User: "1000@d", Password: "s3cret"}} {
		if strings.Contains(c.String(), "s3cret") {
			t.Errorf("%T.String() = %q reveals the password", c, c.String())
		}
	}
	if got := (UserAuth{User: "1000@d", Password: "x"}).String(); got != "userauth 1000@d:********" {
		t.Errorf("UserAuth.String() = %q", got)
	}
}

func TestCommandStrings(t *testing.T) {
	tests := map[string]Command{
		"api status":                   API{Command: "status"},
		"bgapi version":                BgAPI{Command: "version", JobUUID: "x"},
		"sendmsg u1 execute playback":  Execute{UUID: "u1", App: "playback", Arg: "a"},
		"sendmsg hangup":               Hangup{},
		"event plain DTMF CUSTOM a::b": EventCmd{Names: []string{"a::b", "DTMF"}},
		"sendevent CUSTOM":             SendEvent{Name: "CUSTOM", Subclass: "x::y"},
		"sendmsg u1 xferext":           XferExt{UUID: "u1"},
		"filter delete Unique-ID abc":  FilterDelete{Header: "Unique-ID", Value: "abc"},
		"sendmsg execute":              SendMsg{CallCommand: "execute", Body: "secret body"},
	}
	for want, c := range tests {
		if got := c.String(); got != want {
			t.Errorf("%T.String() = %q, want %q", c, got, want)
		}
	}
}

func TestNewUUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := make(map[string]bool)
	for range 1000 {
		u := NewUUID()
		if !re.MatchString(u) {
			t.Fatalf("NewUUID() = %q, not a v4 uuid", u)
		}
		if seen[u] {
			t.Fatalf("NewUUID() repeated %q", u)
		}
		seen[u] = true
	}
	if b, e := NewBgAPI("status"), NewExecute("", "answer", ""); b.JobUUID == "" || e.EventUUID == "" || b.JobUUID == e.EventUUID {
		t.Errorf("constructors must set fresh uuids: %q %q", b.JobUUID, e.EventUUID)
	}
}

func TestReplyTyped(t *testing.T) {
	tests := []struct {
		text    string
		ok      bool
		errText string
	}{
		{"+OK accepted", true, ""},
		{"-ERR invalid", false, "invalid"},
		{"-ERR command not found", false, "command not found"},
		{"-ERR", false, ""},
		{"9001", false, ""},
	}
	for _, tt := range tests {
		r := &Reply{Text: tt.text}
		if r.OK() != tt.ok {
			t.Errorf("%q OK() = %v", tt.text, r.OK())
		}
		err := r.Err()
		ce, isCE := err.(*CommandError)
		switch {
		case tt.ok || tt.text == "9001":
			if err != nil {
				t.Errorf("%q Err() = %v, want nil", tt.text, err)
			}
		case !isCE || ce.Text != tt.errText:
			t.Errorf("%q Err() = %#v, want CommandError{%q}", tt.text, err, tt.errText)
		}
	}
}
