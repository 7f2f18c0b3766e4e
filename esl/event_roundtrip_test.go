package esl

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestURLEncodeMatchesFreeSWITCH(t *testing.T) {
	cases := map[string]string{
		"plain-value_1.2/x":           "plain-value_1.2/x",
		"a b:c":                       "a%20b%3Ac",
		"100%41":                      "100%41", // existing escape kept
		"100%4a":                      "100%254a",
		"50%":                         "50%25",
		"%4":                          "%254",
		"x\r\n\t\x01":                 "x%0D%0A%09%01",
		"é":                           "%C3%A9",
		"\r\n #%&+:;<=>?@[\\]^`{|}\"": "%0D%0A%20%23%25%26%2B%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D%22",
		"~!$'()*,-.":                  "~!$'()*,-.",
		"\x7f":                        "%7F",
	}
	for in, want := range cases {
		if got := string(URLEncode(nil, in)); got != want {
			t.Errorf("URLEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLDecodeTolerant(t *testing.T) {
	cases := map[string]string{
		"a%20b":      "a b",
		"%2BOK%0A":   "+OK\n",
		"100%":       "100%",
		"%zz%4":      "%zz%4",
		"%e9%C3%A9":  "\xe9é", // invalid UTF-8 passes through
		"a+b":        "a+b",
		"%%41":       "%A",
		"no escapes": "no escapes",
	}
	for in, want := range cases {
		if got := URLDecode(in); got != want {
			t.Errorf("URLDecode(%q) = %q, want %q", in, got, want)
		}
	}
	s := "nothing-to-decode"
	if n := testing.AllocsPerRun(10, func() { _ = URLDecode(s) }); n != 0 {
		t.Errorf("URLDecode allocated %v times without escapes", n)
	}
}

// roundTripEvent builds an event with awkward values.
func roundTripEvent() *Event {
	e := NewEvent("CUSTOM")
	e.Add("Event-Subclass", "esl::test")
	e.Add("Percent", "100% sure & 50%")
	e.Add("Spaces", "  lead and trail  ")
	e.Add("Multi-Line", "line1\nline2\r\n")
	e.Add("UTF8", "héllo wörld ☎")
	e.Add("Repeat", "one")
	e.Add("Repeat", "two")
	e.Add("Array", "ARRAY::a|:b c|:d")
	e.Add("Quote", `say "hi" \ back`)
	e.SetBody("body line 1\nbody: line 2\n\nContent-Length: 99\n")
	return e
}

func TestRoundTripPlainAndJSON(t *testing.T) {
	orig := roundTripEvent()
	want := eventHeaders(orig)
	for _, f := range []Format{FormatPlain, FormatJSON} {
		var wire []byte
		if f == FormatPlain {
			wire = orig.AppendPlain(nil)
		} else {
			wire = orig.AppendJSON(nil)
		}
		ev, err := ParseEvent(f, wire)
		if err != nil {
			t.Fatalf("%v: %v\n%s", f, err, wire)
		}
		equalKV(t, f.String(), eventHeaders(ev), want)
		if ev.Body() != orig.Body() || ev.Format() != f {
			t.Errorf("%v: body %q", f, ev.Body())
		}
		if got := ev.Array("Array"); strings.Join(got, ",") != "a,b c,d" {
			t.Errorf("%v: Array = %q", f, got)
		}
		if got := ev.Values("Repeat"); strings.Join(got, ",") != "one,two" {
			t.Errorf("%v: Values = %q", f, got)
		}
		if ev.Get("utf8") != "héllo wörld ☎" || ev.Subclass() != "esl::test" {
			t.Errorf("%v: case-insensitive Get %q", f, ev.Get("utf8"))
		}
	}
}

func TestRoundTripXML(t *testing.T) {
	orig := NewEvent("CUSTOM")
	orig.Add("Odd", "a <b> & 'c' é")
	orig.SetBody("<xml> & \"stuff\" é\n")
	wire := orig.AppendXML(nil)
	ev, err := ParseEvent(FormatXML, wire)
	if err != nil {
		t.Fatalf("%v\n%s", err, wire)
	}
	equalKV(t, "xml", eventHeaders(ev), eventHeaders(orig))
	if ev.Body() != orig.Body() {
		t.Errorf("xml body %q", ev.Body())
	}
}

func TestLossyPercentEncoding(t *testing.T) {
	e := NewEvent("X")
	e.Add("V", "100%41")
	wire := e.AppendPlain(nil)
	if !strings.Contains(string(wire), "V: 100%41\n") {
		t.Fatalf("wire %q", wire)
	}
	ev, _ := ParseEvent(FormatPlain, wire)
	if ev.Get("V") != "100A" { // what FreeSWITCH's own decoder gives too
		t.Errorf("decoded %q", ev.Get("V"))
	}
}

func TestPlainSerializationExact(t *testing.T) {
	e := NewEvent("BACKGROUND_JOB")
	e.Add("Job-Command-Arg", "sofia/gw/1000 &park()")
	e.Add("Empty", "")
	e.SetBody("+OK x\n")
	want := "Event-Name: BACKGROUND_JOB\nJob-Command-Arg: sofia/gw/1000%20%26park()\nEmpty: _undef_\n" +
		"Content-Length: 6\n\n+OK x\n"
	if got := string(e.AppendPlain(nil)); got != want {
		t.Errorf("AppendPlain\n%q\nwant\n%q", got, want)
	}
	e.SetBody("")
	if got := string(e.AppendPlain(nil)); !strings.HasSuffix(got, "_undef_\n\n") {
		t.Errorf("no body: %q", got)
	}
	j := NewEvent("A")
	j.Add("Arr", "ARRAY::x|:y")
	j.Add("Ctl", "\x01\t\"")
	j.SetBody("b")
	if got := string(j.AppendJSON(nil)); got != `{"Event-Name":"A","Arr":["x","y"],"Ctl":"\u0001\t\"","Content-Length":"1","_body":"b"}` {
		t.Errorf("AppendJSON %s", got)
	}
}

func TestEventMutation(t *testing.T) {
	ev, _ := ParseEvent(FormatPlain, []byte("Event-Name: A\nX: 1\nY: 2\nx: 3\n\n"))
	ev.Set("X", "9")
	ev.Del("Y")
	ev.Add("Z", "a%20b")
	got := eventHeaders(ev)
	equalKV(t, "mutated", got, []kv{{"Event-Name", "A"}, {"X", "9"}, {"Z", "a%20b"}})
	ev.Set("New", "n")
	if ev.Len() != 4 || ev.Get("new") != "n" {
		t.Errorf("Set of a new header: %v", eventHeaders(ev))
	}
}

func TestJSONEscapes(t *testing.T) {
	in := `{"A":"x\"y\\z\/\b\f\n\r\t","B":"\u00e9\ud83d\ude00","C":"\ud800 lone","D":"\q bad","E":12,"F":true,` +
		`"G":[],"H":["1","2"],"I":"\u12","_body":"b\u0041"}`
	ev, err := ParseEvent(FormatJSON, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []kv{{"A", "x\"y\\z/\b\f\n\r\t"}, {"B", "é😀"}, {"C", "\uFFFD lone"}, {"D", `\q bad`},
		{"E", "12"}, {"F", "true"}, {"G", "ARRAY::"}, {"H", "ARRAY::1|:2"}, {"I", `\u12`}}
	equalKV(t, "json", eventHeaders(ev), want)
	if ev.Body() != "bA" {
		t.Errorf("body %q", ev.Body())
	}
	for _, h := range want {
		if ev.Get(h.Name) != h.Value {
			t.Errorf("Get(%q) = %q", h.Name, ev.Get(h.Name))
		}
	}
	for _, bad := range []string{``, `{`, `{"a":"b"} x`, `[1]`, `{"a":"\`, `{1:"a"}`, ` { } x`} {
		if _, err := ParseEvent(FormatJSON, []byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseEvent(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}

// JSON parsing is lazy: ParseEvent checks the outline only; a member with
// bad syntax ends the headers that Len/Range see, and Get does not find it.
func TestJSONLazySyntaxErrors(t *testing.T) {
	for bad, want := range map[string]int{`{"a"}`: 0, `{"a":"b",}`: 1, `{"a":{"b":"c"}}`: 0, `{"a":[["x"]]}`: 0, `{"x":"1","a":"b" "c":"d"}`: 2} {
		ev, err := ParseEvent(FormatJSON, []byte(bad))
		if err != nil {
			t.Fatalf("ParseEvent(%q): %v", bad, err)
		}
		if ev.Len() != want {
			t.Errorf("%q: Len %d, want %d", bad, ev.Len(), want)
		}
		if want == 0 && ev.Get("a") != "" {
			t.Errorf("%q: Get(a) = %q", bad, ev.Get("a"))
		}
	}
}

// A key found by substring search must be a real key, not text inside a
// value or another key.
func TestJSONLookupIsStructural(t *testing.T) {
	in := `{"X":"\"Name\":\"fake\"","Other-Name":"o","a\"Name":"k", "Name" : "real"}`
	ev, err := ParseEvent(FormatJSON, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Get("Name") != "real" || ev.Get("a\"Name") != "k" || ev.Get("NAME") != "real" {
		t.Errorf("Get(Name) = %q, Get(a\"Name) = %q", ev.Get("Name"), ev.Get("a\"Name"))
	}
	if _, ok := ev.Lookup("_body"); ok {
		t.Error("_body visible as a header")
	}
}

func TestPlainLookupEdges(t *testing.T) {
	ev, _ := ParseEvent(FormatPlain, []byte("Event-Name: A\r\nOther-Name: o\r\nName:  two spaces\r\nname: lower\r\n\r\nName: in body"))
	if ev.Get("Name") != "two spaces" || ev.Get("NAME") != "two spaces" || ev.Get("name") != "lower" {
		t.Errorf("Get Name %q / NAME %q / name %q", ev.Get("Name"), ev.Get("NAME"), ev.Get("name"))
	}
	if ev.Get("Missing") != "" || ev.Get("") != "" || ev.Get("Name: two") != "" || ev.Body() != "" {
		t.Error("lookup of missing or odd names")
	}
	if ev.Len() != 4 {
		t.Errorf("Len %d", ev.Len())
	}
	if ev.Var("x") != "" || ev.UniqueID() != "" {
		t.Error("absent var")
	}
}

// Parsed events are read from many goroutines at once (run with -race).
func TestEventConcurrentReaders(t *testing.T) {
	frames := parseFixture(t, fsFixtures(t)["inbound-events-plain.txt"])
	evs := eventsOf(t, frames, TypeEventPlain, FormatPlain)
	jevs := eventsOf(t, parseFixture(t, fsFixtures(t)["inbound-events-json.txt"]), TypeEventJSON, FormatJSON)
	evs = append(evs, jevs...)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, ev := range evs {
				n := ev.Len()
				if n > 0 {
					ev.Header(n - 1)
				}
				_ = ev.Get("Event-Date-Local") + ev.Var("channel_name") + ev.Body()
				_ = ev.Values("Hangup-Cause")
			}
		}()
	}
	wg.Wait()
}

func TestFrameCloneAndHeaders(t *testing.T) {
	p := NewParser(0)
	var kept *Frame
	buf := []byte("Content-Type: api/response\nContent-Length: 2\nX-A:  spaced \n\nok")
	_ = p.Feed(buf, func(f *Frame) error { kept = f.Clone(); return nil })
	for i := range buf {
		buf[i] = 'z' // the clone must not alias the input
	}
	if kept.ContentType() != TypeAPIResponse || string(kept.Body) != "ok" || kept.Header("x-a") != "spaced " {
		t.Errorf("clone %q %q %q", kept.ContentType(), kept.Body, kept.Header("x-a"))
	}
	var names []string
	kept.Range(func(n, _ string) bool { names = append(names, n); return true })
	if strings.Join(names, ",") != "Content-Type,Content-Length,X-A" {
		t.Errorf("Range %v", names)
	}
	if n := testing.AllocsPerRun(10, func() { _ = kept.ContentType() }); n != 0 {
		t.Errorf("ContentType allocated %v times", n)
	}
}

// The fast body split (LF text) and the strict one (CRLF text) agree, also
// when the body itself looks like a header block with a Content-Length.
func TestPlainBodySplitFastAndStrict(t *testing.T) {
	e := NewEvent("CUSTOM")
	e.Add("Content-Length", "36") // the sendevent quirk: a header of that name
	e.Add("After", "x")
	e.SetBody("Fake: header\nContent-Length: 3\n\nabc")
	lf := e.AppendPlain(nil)
	crlf := []byte(strings.ReplaceAll(strings.TrimSuffix(string(lf), e.Body()), "\n", "\r\n") + e.Body())
	for _, wire := range [][]byte{lf, crlf} {
		ev, _ := ParseEvent(FormatPlain, wire)
		equalKV(t, "split", eventHeaders(ev), eventHeaders(e))
		if ev.Body() != e.Body() || ev.Get("Fake") != "" {
			t.Errorf("body %q, Fake %q", ev.Body(), ev.Get("Fake"))
		}
	}
	if _, err := ParseEvent(Format(9), lf); err == nil || Format(9).String() != "unknown" {
		t.Error("unknown format accepted")
	}
	if FormatXML.String() != "xml" || FormatJSON.String() != "json" || FormatPlain.String() != "plain" {
		t.Error("Format names")
	}
}
