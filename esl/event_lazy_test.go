package esl

import (
	"sync"
	"testing"
)

// withBody is an LF-framed plain event whose body holds lines that look
// like headers.
const withBody = "Event-Name: BACKGROUND_JOB\n" +
	"unique-id: folded\n" +
	"Job-UUID: 7f4d\n" +
	"Content-Length: 41\n\n" +
	"+OK done\nUnique-ID: in-body\nSecret: x\n"

func TestLazyLookupIgnoresBodyLines(t *testing.T) {
	ev, _ := ParseEvent(FormatPlain, []byte(withBody))
	if v, ok := ev.Lookup("Secret"); ok {
		t.Fatalf("Secret = %q found in the body", v)
	}
	if got := ev.Get("Unique-ID"); got != "folded" {
		t.Fatalf("Unique-ID = %q, want the case-folded header %q", got, "folded")
	}
	if got := ev.Get("Job-UUID"); got != "7f4d" {
		t.Fatalf("Job-UUID = %q", got)
	}
	if got := ev.Body(); got != "+OK done\nUnique-ID: in-body\nSecret: x\n" {
		t.Fatalf("Body = %q", got)
	}
}

func TestLazyLookupHidesBodyMarker(t *testing.T) {
	ev, _ := ParseEvent(FormatPlain, []byte(withBody))
	for _, name := range []string{"Content-Length", "content-length"} {
		if v, ok := ev.Lookup(name); ok {
			t.Fatalf("%s = %q: the body marker is not a header", name, v)
		}
	}
	if n := ev.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
}

// A header whose name holds the marker's anchor ("Length:") before the
// wanted line forces the full split; the answer is the same.
func TestLazyLookupPastAnchorLookalike(t *testing.T) {
	raw := "Event-Name: CUSTOM\nX-Length: 5\nVariable_x: y%20z\n\n"
	ev, _ := ParseEvent(FormatPlain, []byte(raw))
	if got := ev.Get("Variable_x"); got != "y z" {
		t.Fatalf("Variable_x = %q", got)
	}
	if got := ev.Get("X-Length"); got != "5" {
		t.Fatalf("X-Length = %q", got)
	}
	if ev.Body() != "" {
		t.Fatalf("Body = %q, want none", ev.Body())
	}
}

// Readers on many goroutines share one lazily split event.
func TestLazyEventConcurrentReaders(t *testing.T) {
	ev, _ := ParseEvent(FormatPlain, []byte(withBody))
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if g%2 == 0 && ev.Body() == "" {
				errs <- "empty body"
			}
			if ev.Get("Job-UUID") != "7f4d" || ev.Get("Secret") != "" {
				errs <- "wrong header"
			}
			if ev.Len() != 3 {
				errs <- "wrong Len"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
