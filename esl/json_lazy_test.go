package esl

import "testing"

// The "Content-Length" member hidden with "_body" is found backwards over
// escaped quotes, backslashes and white space; any other member before
// "_body" stays a header.
func TestJSONBodyMarkerBackwards(t *testing.T) {
	cases := []struct {
		in, body string
		want     []kv
	}{
		{`{"A":"x","Content-Length":"3","_body":"a\"b"}`, `a"b`, []kv{{"A", "x"}}},
		{`{"A":"x","Content-Length":"e\\\"q\\","_body":"b"}`, "b", []kv{{"A", "x"}}},
		{`{"A":"x" , "Content-Length" : "2" ,` + "\n" + ` "_body" : "bb" }`, "bb", []kv{{"A", "x"}}},
		{`{"Content-Length":"2","B":"y","_body":"bb"}`, "bb", []kv{{"Content-Length", "2"}, {"B", "y"}}},
		{`{"Content-Length":["2"],"_body":"bb"}`, "bb", []kv{{"Content-Length", "ARRAY::2"}}},
		{`{"_body":"first","_body":"second"}`, "first", []kv{{"_body", "second"}}},
		{`{"X":"\",\"_body\":\"fake","Y":"z"}`, "", []kv{{"X", `","_body":"fake`}, {"Y", "z"}}},
	}
	for _, c := range cases {
		ev, err := ParseEvent(FormatJSON, []byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		equalKV(t, c.in, eventHeaders(ev), c.want)
		if ev.Body() != c.body {
			t.Errorf("%s: body %q, want %q", c.in, ev.Body(), c.body)
		}
		if _, ok := ev.Lookup("Content-Length"); ok != (c.want[0].Name == "Content-Length") {
			t.Errorf("%s: Content-Length visible = %v", c.in, ok)
		}
	}
}

// Case-insensitive and escaped-key lookups give the same answers with and
// without a backslash elsewhere in the text (the two lookup paths).
func TestJSONLookupFoldAndEscapes(t *testing.T) {
	for _, in := range []string{`{"a":"1","event-name":"x","EVENT-NAME":"y"}`, `{"a":"1\n","event-name":"x","EVENT-NAME":"y"}`} {
		ev, err := ParseEvent(FormatJSON, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if ev.Get("Event-Name") != "x" || ev.Get("EVENT-NAME") != "y" || ev.Get("event-NAME") != "x" {
			t.Errorf("%s: Event-Name %q EVENT-NAME %q", in, ev.Get("Event-Name"), ev.Get("EVENT-NAME"))
		}
		if v, ok := ev.Lookup("Missing"); ok || v != "" {
			t.Errorf("%s: Missing found", in)
		}
	}
	ev, _ := ParseEvent(FormatJSON, []byte(`{"NAME":"up","N\u0061me":"esc"}`))
	if ev.Get("Name") != "esc" || ev.Get("name") != "up" || ev.Get("NAME") != "up" {
		t.Errorf("Name %q name %q NAME %q", ev.Get("Name"), ev.Get("name"), ev.Get("NAME"))
	}
}

// The body of a JSON event is located only when needed: a first lookup
// of a hidden member (in any case) or of an ordinary key still gives the
// answers of an event whose body was located at parse time.
func TestJSONLazyBodyFirstLookups(t *testing.T) {
	const in = `{"Event-Name":"BACKGROUND_JOB","Job-UUID":"j1","Content-Length":"4","_body":"+OK\n"}`
	lookups := []struct {
		name, want string
		ok         bool
	}{
		{"Content-Length", "", false}, {"content-length", "", false}, {"_body", "", false},
		{"_BODY", "", false}, {"Job-UUID", "j1", true}, {"job-uuid", "j1", true},
	}
	for _, l := range lookups {
		ev, err := ParseEvent(FormatJSON, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := ev.Lookup(l.name); v != l.want || ok != l.ok {
			t.Errorf("first Lookup(%q) = %q, %v; want %q, %v", l.name, v, ok, l.want, l.ok)
		}
		if ev.Body() != "+OK\n" || ev.Len() != 2 {
			t.Errorf("after Lookup(%q): body %q, %d headers", l.name, ev.Body(), ev.Len())
		}
	}
}

// Lookups and the body of one JSON event may be read from several
// goroutines at once (go test -race).
func TestJSONLazyBodyConcurrentReads(t *testing.T) {
	ev, err := ParseEvent(FormatJSON, []byte(`{"Event-Name":"X","Unique-ID":"u","Content-Length":"2","_body":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 3)
	go func() { done <- ev.Get("Unique-ID") }()
	go func() { done <- ev.Body() }()
	go func() { v, _ := ev.Lookup("Content-Length"); done <- "cl=" + v }()
	got := map[string]bool{}
	for range 3 {
		got[<-done] = true
	}
	if !got["u"] || !got["hi"] || !got["cl="] {
		t.Fatalf("concurrent reads gave %v", got)
	}
}
