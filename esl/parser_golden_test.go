package esl

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Frame counts by content type for every captured stream (read off the
// README scenarios; the event counts are cross-checked against the raw
// bytes in the tests below).
var goldenCounts = map[string]map[string]int{
	"inbound-auth-api.txt":                         {TypeAuthRequest: 1, TypeCommandReply: 3, TypeAPIResponse: 10, TypeDisconnectNotice: 1},
	"inbound-auth-fail.txt":                        {TypeAuthRequest: 1, TypeCommandReply: 1, TypeDisconnectNotice: 1},
	"inbound-bgapi.txt":                            {TypeAuthRequest: 1, TypeCommandReply: 11, TypeEventPlain: 5, TypeEventJSON: 2, TypeDisconnectNotice: 1},
	"inbound-command-before-auth.txt":              {TypeAuthRequest: 1, TypeCommandReply: 2, TypeDisconnectNotice: 1},
	"inbound-commands.txt":                         {TypeAuthRequest: 1, TypeCommandReply: 16, TypeEventPlain: 8, TypeDisconnectNotice: 1},
	"inbound-dtmf-lua-control.txt":                 {TypeAuthRequest: 1, TypeCommandReply: 2, TypeAPIResponse: 2, TypeDisconnectNotice: 1},
	"inbound-events-dtmf-lua.txt":                  {TypeAuthRequest: 1, TypeCommandReply: 3, TypeEventPlain: 9, TypeDisconnectNotice: 1},
	"inbound-events-json.txt":                      {TypeAuthRequest: 1, TypeCommandReply: 3, TypeEventJSON: 51, TypeDisconnectNotice: 1},
	"inbound-events-plain.txt":                     {TypeAuthRequest: 1, TypeCommandReply: 3, TypeEventPlain: 51, TypeDisconnectNotice: 1},
	"inbound-events-xml.txt":                       {TypeAuthRequest: 1, TypeCommandReply: 3, TypeEventXML: 12, TypeDisconnectNotice: 1},
	"inbound-log.txt":                              {TypeAuthRequest: 1, TypeCommandReply: 4, TypeLogData: 110, TypeDisconnectNotice: 1},
	"inbound-originate-control.txt":                {TypeAuthRequest: 1, TypeCommandReply: 2, TypeAPIResponse: 2, TypeDisconnectNotice: 1},
	"outbound-8084-async-linger.rx.txt":            {TypeCommandReply: 7, TypeEventPlain: 12, TypeDisconnectNotice: 2},
	"outbound-8084-linger-no-exit.rx.txt":          {TypeCommandReply: 6, TypeEventPlain: 11, TypeDisconnectNotice: 1},
	"outbound-8085-json-eventlock-nolinger.rx.txt": {TypeCommandReply: 10, TypeAPIResponse: 1, TypeEventJSON: 14, TypeDisconnectNotice: 1},
}

var (
	uuidRE      = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	reEventName = regexp.MustCompile(`(?m)^Event-Name: (\S+)$`)
)

func TestGoldenFrameCounts(t *testing.T) {
	fx := fsFixtures(t)
	for _, name := range sortedNames(fx) {
		t.Run(name, func(t *testing.T) {
			data := fx[name]
			want, ok := goldenCounts[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			got := map[string]int{}
			size := 0
			for _, f := range parseFixture(t, data) {
				got[f.ContentType()]++
				size += len(f.HeaderBlock()) + 1 + len(f.Body)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("counts %v, want %v", got, want)
			}
			if size != len(data) {
				t.Errorf("frames cover %d bytes, stream has %d", size, len(data))
			}
			// Event and log frames are announced once each in the raw bytes.
			for _, ct := range []string{TypeEventPlain, TypeEventJSON, TypeEventXML, TypeLogData} {
				if n := bytes.Count(data, []byte("Content-Type: "+ct+"\n")); n != got[ct] {
					t.Errorf("%s: %d frames parsed, %d in the bytes", ct, got[ct], n)
				}
			}
		})
	}
}

// Every plain event of every stream matches an independent naive reading.
func TestGoldenPlainEventsMatchReference(t *testing.T) {
	fx := fsFixtures(t)
	total := 0
	for _, name := range sortedNames(fx) {
		for i, f := range parseFixture(t, fx[name]) {
			if f.ContentType() != TypeEventPlain {
				continue
			}
			ev, err := ParseEvent(FormatPlain, f.Body)
			if err != nil {
				t.Fatal(err)
			}
			want, body := refPlain(t, string(f.Body))
			what := fmt.Sprintf("%s frame %d", name, i)
			equalKV(t, what, eventHeaders(ev), want)
			if ev.Len() != len(want) || ev.Body() != body {
				t.Fatalf("%s: Len %d body %q, want %d %q", what, ev.Len(), ev.Body(), len(want), body)
			}
			for _, h := range want {
				if v := ev.Get(h.Name); v != firstValue(want, h.Name) {
					t.Fatalf("%s: Get(%q) = %q", what, h.Name, v)
				}
			}
			total++
		}
	}
	if total < 90 {
		t.Fatalf("only %d plain events checked", total)
	}
}

func firstValue(hs []kv, name string) string {
	for _, h := range hs {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

// Every JSON event matches encoding/json's reading (duplicate keys kept),
// and converts to plain and back without a change.
func TestGoldenJSONEventsMatchReference(t *testing.T) {
	fx := fsFixtures(t)
	total := 0
	for _, name := range sortedNames(fx) {
		for i, f := range parseFixture(t, fx[name]) {
			if f.ContentType() != TypeEventJSON {
				continue
			}
			what := fmt.Sprintf("%s frame %d", name, i)
			ev, err := ParseEvent(FormatJSON, f.Body)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			want, body := refJSON(t, f.Body)
			equalKV(t, what, eventHeaders(ev), want)
			if ev.Body() != body {
				t.Fatalf("%s: body %q, want %q", what, ev.Body(), body)
			}
			for _, h := range want {
				if v := ev.Get(h.Name); v != firstValue(want, h.Name) {
					t.Fatalf("%s: Get(%q) = %q", what, h.Name, v)
				}
			}
			plain, err := ParseEvent(FormatPlain, ev.AppendPlain(nil))
			if err != nil {
				t.Fatal(err)
			}
			equalKV(t, what+" via plain", eventHeaders(plain), want)
			if plain.Body() != body {
				t.Fatalf("%s via plain: body %q", what, plain.Body())
			}
			total++
		}
	}
	if total != 67 {
		t.Fatalf("%d JSON events checked, want 67", total)
	}
}

func TestGoldenEventsPlain(t *testing.T) {
	data := fsFixtures(t)["inbound-events-plain.txt"]
	evs := eventsOf(t, parseFixture(t, data), TypeEventPlain, FormatPlain)
	names := map[string]int{}
	for _, ev := range evs {
		names[ev.Name()]++
	}
	wantNames := map[string]int{}
	for _, m := range reEventName.FindAllSubmatch(data, -1) {
		wantNames[string(m[1])]++
	}
	if fmt.Sprint(names) != fmt.Sprint(wantNames) || len(evs) != 51 {
		t.Fatalf("event names %v, want %v", names, wantNames)
	}
	hc := firstEvent(t, evs, "CHANNEL_HANGUP_COMPLETE")
	if causes := hc.Values("Hangup-Cause"); len(causes) != 2 || causes[0] == "" {
		t.Errorf("Hangup-Cause values %q, want two", causes)
	}
	if v := writeCodecEvent(t, evs).Values("Channel-Write-Codec-Name"); len(v) != 2 {
		t.Errorf("CODEC Channel-Write-Codec-Name %q, want two values", v)
	}
	// The read-codec CODEC event repeats its codec headers in lower case.
	read := firstEvent(t, evs, "CODEC")
	if read.Get("channel-read-codec-name") != "L16" || len(read.Values("Channel-Read-Codec-Name")) != 1 {
		t.Errorf("read CODEC: %q", read.Values("Channel-Read-Codec-Name"))
	}
	hb := firstEvent(t, evs, "HEARTBEAT")
	local := hb.Get("Event-Date-Local")
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`).MatchString(local) {
		t.Errorf("Event-Date-Local %q not decoded", local)
	}
	if hb.UniqueID() != "" || hb.Body() != "" {
		t.Errorf("HEARTBEAT has uuid %q body %q", hb.UniqueID(), hb.Body())
	}
	create := firstEvent(t, evs, "CHANNEL_CREATE")
	if create.Var("origination_caller_id_number") != "1000" {
		t.Errorf("variable_origination_caller_id_number = %q", create.Var("origination_caller_id_number"))
	}
	if !regexp.MustCompile("^" + uuidRE + "$").MatchString(create.UniqueID()) {
		t.Errorf("UniqueID %q", create.UniqueID())
	}
}

func TestGoldenCodecJSONDuplicates(t *testing.T) {
	frames := parseFixture(t, fsFixtures(t)["inbound-events-json.txt"])
	evs := eventsOf(t, frames, TypeEventJSON, FormatJSON)
	if v := writeCodecEvent(t, evs).Values("Channel-Write-Codec-Name"); len(v) != 2 {
		t.Errorf("json CODEC Channel-Write-Codec-Name %q, want two values", v)
	}
	hc := firstEvent(t, evs, "CHANNEL_HANGUP_COMPLETE")
	if v := hc.Values("Hangup-Cause"); len(v) != 2 {
		t.Errorf("json Hangup-Cause %q, want two", v)
	}
	if got := hc.Get("Event-Date-Local"); !strings.Contains(got, " ") {
		t.Errorf("json Event-Date-Local %q", got)
	}
}

func TestGoldenBgapi(t *testing.T) {
	frames := parseFixture(t, fsFixtures(t)["inbound-bgapi.txt"])
	var bodies []string
	for _, ev := range append(eventsOf(t, frames, TypeEventPlain, FormatPlain),
		eventsOf(t, frames, TypeEventJSON, FormatJSON)...) {
		if ev.Name() != "BACKGROUND_JOB" {
			t.Fatalf("unexpected %s", ev.Name())
		}
		bodies = append(bodies, ev.Body())
	}
	if len(bodies) != 7 {
		t.Fatalf("%d BACKGROUND_JOB events, want 7", len(bodies))
	}
	okUUID := regexp.MustCompile(`^\+OK ` + uuidRE + "\n$")
	var haveOK, haveNoRoute, haveNoCmd bool
	for _, b := range bodies {
		haveOK = haveOK || okUUID.MatchString(b)
		haveNoRoute = haveNoRoute || b == "-ERR NO_ROUTE_DESTINATION\n"
		haveNoCmd = haveNoCmd || b == "-ERR nosuchcommand Command not found!\n"
	}
	if !haveOK || !haveNoRoute || !haveNoCmd {
		t.Errorf("bodies %q", bodies)
	}
	found := false
	for _, f := range frames {
		found = found || f.Header("Job-UUID") == "11111111-2222-3333-4444-555555555555"
	}
	if !found {
		t.Error("client-chosen Job-UUID not echoed in a reply")
	}
}

func TestGoldenSendeventQuirk(t *testing.T) {
	evs := eventsOf(t, parseFixture(t, fsFixtures(t)["inbound-commands.txt"]), TypeEventPlain, FormatPlain)
	ev := firstEvent(t, evs, "CUSTOM")
	if ev.Body() != "hello from a raw socket\nsecond line\n" {
		t.Errorf("body %q", ev.Body())
	}
	if v := ev.Values("Content-Length"); len(v) != 1 || v[0] != "36" {
		t.Errorf("Content-Length headers %q, want the one sent by the client", v)
	}
	if ev.Get("Content-Type") != "text/plain" {
		t.Errorf("Content-Type %q", ev.Get("Content-Type"))
	}
}

func TestGoldenConnectReply(t *testing.T) {
	fx := fsFixtures(t)
	for _, name := range []string{"outbound-8084-async-linger.rx.txt", "outbound-8084-linger-no-exit.rx.txt", "outbound-8085-json-eventlock-nolinger.rx.txt"} {
		f := parseFixture(t, fx[name])[0]
		if f.ContentType() != TypeCommandReply || f.Body != nil {
			t.Fatalf("%s: first frame %q body %v", name, f.ContentType(), f.Body)
		}
		if f.Header("Reply-Text") != "%2BOK%0A" || f.HeaderDecoded("Reply-Text") != "+OK\n" {
			t.Errorf("%s: Reply-Text %q", name, f.Header("Reply-Text"))
		}
		ev := f.HeaderEvent()
		lines := bytes.Count(f.HeaderBlock(), []byte("\n"))
		if ev.Name() != "CHANNEL_DATA" || ev.Len() != lines || lines < 100 {
			t.Errorf("%s: %s with %d headers, block has %d lines", name, ev.Name(), ev.Len(), lines)
		}
		uid := ev.UniqueID()
		if !regexp.MustCompile("^"+uuidRE+"$").MatchString(uid) || ev.Get("Channel-Unique-ID") != uid {
			t.Errorf("%s: Unique-ID %q", name, uid)
		}
		if ev.Get("Socket-Mode") != "async" || ev.Get("Control") != "full" || ev.Get("Reply-Text") != "+OK\n" {
			t.Errorf("%s: Socket-Mode %q Control %q", name, ev.Get("Socket-Mode"), ev.Get("Control"))
		}
		if !strings.Contains(ev.Get("Event-Date-Local"), " ") || ev.Body() != "" {
			t.Errorf("%s: not decoded or has a body", name)
		}
	}
}

func TestGoldenLogData(t *testing.T) {
	data := fsFixtures(t)["inbound-log.txt"]
	empty, logs := 0, 0
	for _, f := range parseFixture(t, data) {
		if f.ContentType() != TypeLogData {
			continue
		}
		logs++
		if n, _ := strconv.Atoi(f.Header("Content-Length")); n != len(f.Body) || n == 0 {
			t.Fatalf("log body %d bytes, Content-Length %q", len(f.Body), f.Header("Content-Length"))
		}
		if lvl, err := strconv.Atoi(f.Header("Log-Level")); err != nil || lvl < 0 || lvl > 7 {
			t.Fatalf("Log-Level %q", f.Header("Log-Level"))
		}
		if !bytes.Contains(f.HeaderBlock(), []byte("\nUser-Data:")) {
			t.Fatal("no User-Data header")
		}
		if f.Header("User-Data") == "" {
			empty++
		}
	}
	if want := bytes.Count(data, []byte("\nUser-Data: \n")); empty != want || want == 0 || logs != 110 {
		t.Errorf("%d logs, %d with empty User-Data, want %d", logs, empty, want)
	}
}

func TestGoldenDisconnectNotices(t *testing.T) {
	const goodbye = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
	fx := fsFixtures(t)
	notices := func(name string) []*Frame {
		var out []*Frame
		for _, f := range parseFixture(t, fx[name]) {
			if f.ContentType() == TypeDisconnectNotice {
				out = append(out, f)
			}
		}
		return out
	}
	for _, name := range []string{"inbound-auth-api.txt", "inbound-auth-fail.txt"} {
		if n := notices(name); len(n) != 1 || string(n[0].Body) != goodbye {
			t.Errorf("%s: notices %v", name, n)
		}
	}
	linger := notices("outbound-8084-linger-no-exit.rx.txt")[0]
	if linger.Header("Content-Disposition") != "linger" || linger.Header("Linger-Time") != "-1" ||
		linger.Body == nil || len(linger.Body) != 0 {
		t.Errorf("linger notice %q body %q", linger.HeaderBlock(), linger.Body)
	}
	last := notices("outbound-8085-json-eventlock-nolinger.rx.txt")[0]
	if last.Header("Content-Disposition") != "disconnect" || string(last.Body) != goodbye ||
		!regexp.MustCompile("^"+uuidRE+"$").MatchString(last.Header("Controlled-Session-UUID")) {
		t.Errorf("disconnect notice %q", last.HeaderBlock())
	}
}

func TestGoldenAPIBodies(t *testing.T) {
	var bodies []string
	for _, f := range parseFixture(t, fsFixtures(t)["inbound-auth-api.txt"]) {
		if f.ContentType() == TypeAPIResponse {
			bodies = append(bodies, string(f.Body))
		}
	}
	joined := strings.Join(bodies, "|")
	for _, want := range []string{"|vm|", "|true|", "|127.0.0.1", "-ERR nosuchcommand Command not found!\n"} {
		if !strings.Contains(joined, want) {
			t.Errorf("api bodies %q lack %q", bodies, want)
		}
	}
	leadingNL := false
	for _, b := range bodies {
		leadingNL = leadingNL || strings.HasPrefix(b, "\n")
	}
	if !leadingNL {
		t.Error("no api body starting with a newline (show calls count)")
	}
}

func TestGoldenXMLEvents(t *testing.T) {
	reHeader := regexp.MustCompile(`(?m)^    <([^>]+)>([^<]*)</[^>]+>$`)
	frames := parseFixture(t, fsFixtures(t)["inbound-events-xml.txt"])
	evs := 0
	for _, f := range frames {
		if f.ContentType() != TypeEventXML {
			continue
		}
		evs++
		ev, err := ParseEvent(FormatXML, f.Body)
		if err != nil {
			t.Fatal(err)
		}
		var want []kv
		for _, m := range reHeader.FindAllStringSubmatch(string(f.Body), -1) {
			want = append(want, kv{m[1], URLDecode(m[2])})
		}
		equalKV(t, "xml", eventHeaders(ev), want)
		if out := ev.AppendXML(nil); !bytes.Equal(out, f.Body) {
			t.Errorf("AppendXML differs from FreeSWITCH:\n%s\nwant\n%s", out, f.Body)
		}
	}
	if evs != 12 {
		t.Fatalf("%d xml events", evs)
	}
}

// writeCodecEvent returns the CODEC event fired by set_write_codec.
func writeCodecEvent(t *testing.T, evs []*Event) *Event {
	t.Helper()
	for _, ev := range evs {
		if ev.Name() == "CODEC" && strings.HasSuffix(ev.Get("Event-Calling-Function"), "set_write_codec") {
			return ev
		}
	}
	t.Fatal("no write CODEC event")
	return nil
}
