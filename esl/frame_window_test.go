package esl

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// windowStream is frames of every size class: small replies, events that
// straddle reads, and bodies larger than any chunk.
func windowStream() []byte {
	var b bytes.Buffer
	for i := range 400 {
		switch {
		case i%97 == 50:
			body := strings.Repeat("L", maxChunk+1000+i) // larger than a chunk
			fmt.Fprintf(&b, "Content-Type: api/response\nContent-Length: %d\n\n%s", len(body), body)
		case i%7 == 0:
			b.WriteString("Content-Type: command/reply\nReply-Text: +OK\n\n")
		default:
			body := fmt.Sprintf("Event-Name: CUSTOM\nSeq: %d\nPad: %s\n\n", i, strings.Repeat("p", (i*7919)%20000))
			fmt.Fprintf(&b, "Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(body), body)
		}
	}
	return b.Bytes()
}

// seenFrame is what a test keeps of a frame: its text, and the body a
// Conn would keep when it lies in the input (to check later that it was
// never overwritten).
type seenFrame struct {
	text    string
	body    []byte
	inInput bool
}

func record(out *[]seenFrame) func(*Frame) error {
	return func(f *Frame) error {
		*out = append(*out, seenFrame{
			text: string(f.HeaderBlock()) + "|" + string(f.Body),
			body: f.Body, inInput: f.BodyInInput(),
		})
		return nil
	}
}

// readLikeConn feeds stream through a reader's chunks and feedWindow, the
// way readLoop does, with reads of the sizes next returns.
func readLikeConn(t *testing.T, stream []byte, next func(room int) int) []seenFrame {
	t.Helper()
	var got []seenFrame
	if err := windowLoop(stream, next, record(&got)); err != nil {
		t.Fatal(err)
	}
	return got
}

// windowLoop is readLoop's feeding with data for a socket.
func windowLoop(data []byte, next func(room int) int, fn func(*Frame) error) error {
	r := &reader{p: NewParser(0)}
	for pos := 0; pos < len(data); {
		sp := r.nextSpace()
		n := copy(sp[:min(len(sp), max(next(len(sp)), 1))], data[pos:])
		pos += n
		r.in.pinned = true // busy: events may alias the chunk
		win, from := r.in.commitWindow(n)
		if err := r.p.feedWindow(win, from, fn); err != nil {
			return err
		}
	}
	return nil
}

// TestWindowFeedMatchesFeed reads a stream the way a Conn does, with
// random, tiny and chunk-filling reads: the frames must be those a plain
// Feed of the whole stream gives, in order; frames that straddled reads
// must mostly be handed out in place; and no byte handed out may be
// overwritten by later reads.
func TestWindowFeedMatchesFeed(t *testing.T) {
	stream := windowStream()
	var want []seenFrame
	if err := NewParser(0).Feed(stream, record(&want)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// tiny reads split many header blocks, which are copied
	atLeast := map[string]int{"random": 90, "fill": 90, "tiny": 75, "mixed": 90}
	reads := map[string]func(room int) int{
		"random": func(room int) int { return 1 + rng.IntN(70000) },
		"fill":   func(room int) int { return room },
		"tiny":   func(room int) int { return 1 + rng.IntN(700) },
		"mixed": func(room int) int {
			if rng.IntN(3) == 0 {
				return room
			}
			return 1 + rng.IntN(9000)
		},
	}
	for name, next := range reads {
		t.Run(name, func(t *testing.T) {
			got := readLikeConn(t, stream, next)
			if len(got) != len(want) {
				t.Fatalf("%d frames, want %d", len(got), len(want))
			}
			inPlace, fits := 0, 0
			for i := range got {
				if got[i].text != want[i].text {
					t.Fatalf("frame %d differs from a plain Feed", i)
				}
				if len(got[i].body) > 0 && len(got[i].body) <= maxChunk/2 {
					fits++
					if got[i].inInput {
						inPlace++
					}
				}
			}
			for i := range got { // every later read has happened by now
				_, body, _ := strings.Cut(want[i].text, "|")
				if got[i].inInput && string(got[i].body) != body {
					t.Fatalf("frame %d, handed out in place, was overwritten by later reads", i)
				}
			}
			if inPlace*100 < fits*atLeast[name] {
				t.Fatalf("only %d of %d frames with a body were handed out in place", inPlace, fits)
			}
		})
	}
}

// TestDetachKeepsWaitingFrame: a frame waiting in place continues from a
// copy when the next bytes come from a plain Feed, or from a window that
// does not continue the first.
func TestDetachKeepsWaitingFrame(t *testing.T) {
	frame := "Content-Length: 10\nContent-Type: text/event-plain\n\n0123456789"
	for _, how := range []string{"feed", "other-window"} {
		t.Run(how, func(t *testing.T) {
			var got []seenFrame
			p := NewParser(0)
			first := []byte(frame[:55])
			if err := p.feedWindow(first, 0, record(&got)); err != nil {
				t.Fatal(err)
			}
			if p.Buffered() == 0 {
				t.Fatal("no frame waiting after a partial body")
			}
			rest := []byte(frame[55:])
			var err error
			if how == "feed" {
				err = p.Feed(rest, record(&got))
			} else {
				err = p.feedWindow(rest, 0, record(&got))
			}
			copy(first, strings.Repeat("X", len(first))) // the first window's bytes may go now
			if err != nil || len(got) != 1 {
				t.Fatalf("frames %d, err %v", len(got), err)
			}
			if string(got[0].body) != "0123456789" || got[0].inInput {
				t.Fatalf("body %q (in input %v), want a copy of 0123456789", got[0].body, got[0].inInput)
			}
		})
	}
}

// TestEventHeadFastPath: the fast match of FreeSWITCH's event header
// block agrees with the general scan, and declines every other shape.
func TestEventHeadFastPath(t *testing.T) {
	cases := []struct {
		head string
		fast bool
	}{
		{"Content-Length: 12\nContent-Type: text/event-plain\n\n", true},
		{"Content-Length: 0\nContent-Type: api/response\n\n", true},
		{"Content-Length: 12\r\nContent-Type: text/event-plain\r\n\r\n", false},
		{"Content-Type: text/event-plain\nContent-Length: 12\n\n", false},
		{"Content-Length: 12\nContent-Type: text/x-custom\n\n", false},
		{"Content-Length: 12\nContent-Type: text/event-plain\nX: y\n\n", false},
		{"content-length: 12\nContent-Type: text/event-plain\n\n", false},
		{"Content-Length: 1x\nContent-Type: text/event-plain\n\n", true},
	}
	for _, c := range cases {
		clen, ct, ok := eventHead([]byte(c.head))
		if ok != c.fast {
			t.Errorf("%q: fast path %v, want %v", c.head, ok, c.fast)
		}
		p := NewParser(0)
		n, err := p.headFields([]byte(c.head))
		want := NewFrame([]byte(c.head), nil).Header("Content-Type")
		if ok && (ct != want || string(clen) != NewFrame([]byte(c.head), nil).Header("Content-Length")) {
			t.Errorf("%q: fast path gives %q/%q", c.head, clen, ct)
		}
		if err == nil && p.ctype != want {
			t.Errorf("%q: content type %q, want %q", c.head, p.ctype, want)
		}
		if c.head == cases[len(cases)-1].head && err == nil {
			t.Errorf("%q: bad length accepted as %d", c.head, n)
		}
	}
}

// TestEventParseReuses: Event.Parse into one event gives what ParseEvent
// gives, for every format, and an error leaves it empty.
func TestEventParseReuses(t *testing.T) {
	inputs := []struct {
		f    Format
		data string
	}{
		{FormatPlain, "Event-Name: CUSTOM\nSeq: 1\nContent-Length: 2\n\nhi"},
		{FormatJSON, `{"Event-Name":"CUSTOM","Seq":"2","_body":"yo"}`},
		{FormatXML, "<event><headers><Event-Name>CUSTOM</Event-Name><Seq>3</Seq></headers></event>"},
		{FormatPlain, "Event-Name: HEARTBEAT\nSeq: 4\n\n"},
	}
	var ev Event
	for _, in := range inputs {
		want, err := ParseEvent(in.f, []byte(in.data))
		if err != nil {
			t.Fatal(err)
		}
		_ = ev.Get("Seq") // the previous event's state must not leak
		if err := ev.Parse(in.f, []byte(in.data)); err != nil {
			t.Fatal(err)
		}
		if ev.Get("Seq") != want.Get("Seq") || ev.Name() != want.Name() || ev.Body() != want.Body() || ev.Len() != want.Len() {
			t.Fatalf("%s: Parse gives Seq=%q Name=%q Body=%q Len=%d, ParseEvent Seq=%q Name=%q Body=%q Len=%d",
				in.f, ev.Get("Seq"), ev.Name(), ev.Body(), ev.Len(), want.Get("Seq"), want.Name(), want.Body(), want.Len())
		}
	}
	if err := ev.Parse(FormatJSON, []byte("not json")); err == nil || ev.Len() != 0 || ev.Name() != "" {
		t.Fatalf("bad JSON: err %v, left %d headers", err, ev.Len())
	}
}
