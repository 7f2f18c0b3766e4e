package esl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const fixtureDir = "testdata/freeswitch-1.10.12"

// fsFixtures returns every FreeSWITCH->client byte stream: inbound-*.txt
// (not *.sent.txt) and outbound-*.rx.txt, by base name.
func fsFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		base := filepath.Base(p)
		inbound := strings.HasPrefix(base, "inbound-") && !strings.HasSuffix(base, ".sent.txt")
		if !inbound && !strings.HasSuffix(base, ".rx.txt") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[base] = data
	}
	if len(out) < 14 {
		t.Fatalf("found only %d fixture streams", len(out))
	}
	return out
}

// sortedNames returns the map keys in order, for stable subtests.
func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// rawFrame is an owned snapshot of a Frame.
type rawFrame struct {
	Head    string
	Body    string
	HasBody bool
	// CType is the Content-Type the parser recorded, checked against a
	// scan of the header block.
	CType string
}

// feedChunks feeds data cut by the chunk sizes (cycled) and returns the
// frames, any error and the bytes left buffered.
func feedChunks(data []byte, sizes []int) ([]rawFrame, int, error) {
	p := NewParser(0)
	var frames []rawFrame
	fn := collectFrames(&frames)
	for i := 0; len(data) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(data))
		if err := p.Feed(data[:n], fn); err != nil {
			return frames, p.Buffered(), err
		}
		data = data[n:]
	}
	return frames, p.Buffered(), nil
}

// collectFrames records frames, checking each one's content type against
// a scan of its header block.
func collectFrames(frames *[]rawFrame) func(*Frame) error {
	return func(f *Frame) error {
		ct := f.ContentType()
		if scanned := NewFrame(f.HeaderBlock(), nil).Header("Content-Type"); ct != scanned || f.Clone().ContentType() != ct {
			return fmt.Errorf("content type %q, header block says %q", ct, scanned)
		}
		*frames = append(*frames, rawFrame{string(f.HeaderBlock()), string(f.Body), f.Body != nil, ct})
		return nil
	}
}

// parseFixture parses a whole stream and fails the test on any problem.
func parseFixture(t *testing.T, data []byte) []*Frame {
	t.Helper()
	var frames []*Frame
	p := NewParser(0)
	err := p.Feed(data, func(f *Frame) error {
		frames = append(frames, f.Clone())
		return nil
	})
	if err != nil || p.Buffered() != 0 {
		t.Fatalf("parse: err=%v, %d bytes left over", err, p.Buffered())
	}
	return frames
}

// eventsOf parses every event frame of the given content type.
func eventsOf(t *testing.T, frames []*Frame, ct string, f Format) []*Event {
	t.Helper()
	var evs []*Event
	for _, fr := range frames {
		if fr.ContentType() != ct {
			continue
		}
		ev, err := ParseEvent(f, fr.Body)
		if err != nil {
			t.Fatalf("ParseEvent(%v): %v", f, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// firstEvent returns the first event with that Event-Name.
func firstEvent(t *testing.T, evs []*Event, name string) *Event {
	t.Helper()
	for _, ev := range evs {
		if ev.Name() == name {
			return ev
		}
	}
	t.Fatalf("no %s event", name)
	return nil
}

// kv is one header for comparisons.
type kv struct{ Name, Value string }

// eventHeaders lists an event's headers through Range.
func eventHeaders(ev *Event) []kv {
	var out []kv
	ev.Range(func(n, v string) bool {
		out = append(out, kv{n, v})
		return true
	})
	return out
}

// refPlain is an independent, naive reading of a text/event-plain body:
// split at the first blank line, cut lines at ": ", decode with net/url,
// and treat a final Content-Length line as the body length.
func refPlain(t *testing.T, body string) ([]kv, string) {
	t.Helper()
	head, rest, _ := strings.Cut(body, "\n\n")
	var hs []kv
	for _, line := range strings.Split(head, "\n") {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			name, value, _ = strings.Cut(line, ":")
		}
		dec, err := url.PathUnescape(value)
		if err != nil {
			t.Fatalf("fixture value %q is not url-encoded: %v", value, err)
		}
		hs = append(hs, kv{name, dec})
	}
	last := hs[len(hs)-1]
	if last.Name != "Content-Length" {
		return hs, ""
	}
	n := 0
	for _, c := range last.Value {
		n = n*10 + int(c-'0')
	}
	return hs[:len(hs)-1], rest[:n]
}

// refJSON decodes a text/event-json body with encoding/json's tokenizer,
// keeping duplicate keys, arrays joined in FreeSWITCH's ARRAY:: form.
func refJSON(t *testing.T, body []byte) ([]kv, string) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(body))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %v %v", tok, err)
	}
	var hs []kv
	for d.More() {
		key, _ := d.Token()
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			var arr []string
			if err := json.Unmarshal(raw, &arr); err != nil {
				t.Fatal(err)
			}
			s = arrayPrefix + strings.Join(arr, arraySep)
		}
		hs = append(hs, kv{key.(string), s})
	}
	n := len(hs)
	if n >= 2 && hs[n-1].Name == "_body" && hs[n-2].Name == "Content-Length" {
		return hs[:n-2], hs[n-1].Value
	}
	return hs, ""
}

// equalKV compares header lists and reports the first difference.
func equalKV(t *testing.T, what string, got, want []kv) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d headers, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: header %d = %q, want %q", what, i, got[i], want[i])
		}
	}
}
