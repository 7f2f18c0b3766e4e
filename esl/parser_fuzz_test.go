package esl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds returns the FreeSWITCH streams for seeding (files read
// directly: fuzz seeding runs before any testing.T exists).
func fuzzSeeds(f *testing.F) [][]byte {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.txt"))
	var out [][]byte
	for _, p := range paths {
		if strings.HasSuffix(p, ".transcript.txt") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzParser feeds arbitrary bytes, whole, split in two at a data-chosen
// point, and read into chunks the way a Conn reads them, and checks that
// all give the same frames or the same kind of error, never a panic.
func FuzzParser(f *testing.F) {
	for _, d := range fuzzSeeds(f) {
		f.Add(d, uint16(len(d)/2))
		f.Add(d[:len(d)/2], uint16(len(d)/4))
		f.Add(d[len(d)/2:], uint16(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		whole, _, errW := feedChunks(data, []int{len(data) + 1})
		c := int(cut)%(len(data)+1) + 1
		split, _, errS := feedChunks(data, []int{c, 1, 3, len(data)})
		if (errW == nil) != (errS == nil) || !sameKind(errW, errS) {
			t.Fatalf("whole err %v, split err %v", errW, errS)
		}
		if errW == nil && len(whole) != len(split) {
			t.Fatalf("whole %d frames, split %d", len(whole), len(split))
		}
		var windowed []rawFrame
		sizes := []int{c, 1, 3, len(data)}
		i := 0
		errC := windowLoop(data, func(int) int { i++; return sizes[i%len(sizes)] }, collectFrames(&windowed))
		if (errW == nil) != (errC == nil) || !sameKind(errW, errC) || (errW == nil && len(windowed) != len(whole)) {
			t.Fatalf("whole: %d frames, err %v; read like a Conn: %d frames, err %v", len(whole), errW, len(windowed), errC)
		}
		for i := range min(len(whole), len(windowed)) {
			if whole[i] != windowed[i] {
				t.Fatalf("frame %d differs when read like a Conn", i)
			}
		}
		for i := range min(len(whole), len(split)) {
			if whole[i] != split[i] {
				t.Fatalf("frame %d differs", i)
			}
			fr := NewFrame([]byte(whole[i].Head), []byte(whole[i].Body))
			_ = fr.ContentType() + fr.HeaderDecoded("Reply-Text")
			ev := fr.HeaderEvent()
			touchEvent(ev)
		}
	})
}

func sameKind(a, b error) bool {
	return errors.Is(a, ErrMalformed) == errors.Is(b, ErrMalformed) &&
		errors.Is(a, ErrFrameTooLarge) == errors.Is(b, ErrFrameTooLarge)
}

// FuzzEvent parses arbitrary bodies as plain and JSON events, reads them
// every way, and checks that a re-serialized event parses to the same
// headers.
func FuzzEvent(f *testing.F) {
	for _, d := range fuzzSeeds(f) {
		p := NewParser(0)
		_ = p.Feed(d, func(fr *Frame) error {
			if bytes.HasPrefix([]byte(fr.ContentType()), []byte("text/event-")) {
				f.Add(bytes.Clone(fr.Body))
			}
			return nil
		})
	}
	f.Add([]byte(`{"a":"\ud83d\ude00","b":["x"],"_body":"\n"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{FormatPlain, FormatJSON} {
			ev, err := ParseEvent(format, bytes.Clone(data))
			if err != nil {
				continue
			}
			touchEvent(ev)
			checkReparse(t, ev)
		}
	})
}

// touchEvent calls every reader (lookups for the first 64 headers only,
// to keep the harness linear).
func touchEvent(ev *Event) {
	_ = ev.Name() + ev.Subclass() + ev.UniqueID() + ev.Body() + ev.Var("x")
	for i := 0; i < min(ev.Len(), 64); i++ {
		n, _ := ev.Header(i)
		_ = ev.Get(n)
		_ = ev.Values(n)
		_ = ev.Array(n)
	}
	_ = ev.AppendXML(ev.AppendJSON(ev.AppendPlain(nil)))
}

// checkReparse: JSON output always reads back the same; plain output does
// when names and values survive its (lossy) encoding.
func checkReparse(t *testing.T, ev *Event) {
	want := eventHeaders(ev)
	back, err := ParseEvent(FormatJSON, ev.AppendJSON(nil))
	if err != nil {
		t.Fatalf("own JSON rejected: %v", err)
	}
	got := eventHeaders(back)
	if len(got) != len(want) {
		t.Fatalf("JSON round trip: %d headers, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] && !strings.HasPrefix(want[i].Value, arrayPrefix) {
			t.Fatalf("JSON round trip header %d: %q, want %q", i, got[i], want[i])
		}
	}
}
