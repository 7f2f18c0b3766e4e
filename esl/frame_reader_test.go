package esl

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// chunkReader returns at most the next size() bytes per Read.
type chunkReader struct {
	r    io.Reader
	size func() int
}

func (c *chunkReader) Read(b []byte) (int, error) {
	return c.r.Read(b[:min(len(b), max(c.size(), 1))])
}

// TestReadFramesMatchesFeed: ReadFrames gives the frames of a plain Feed
// of the whole stream, whatever the read sizes, including frames larger
// than its buffer.
func TestReadFramesMatchesFeed(t *testing.T) {
	stream := windowStream()
	var want []rawFrame
	if err := NewParser(0).Feed(stream, collectFrames(&want)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	readers := map[string]func() io.Reader{
		"whole": func() io.Reader { return bytes.NewReader(stream) },
		"half":  func() io.Reader { return iotest.HalfReader(bytes.NewReader(stream)) },
		"random": func() io.Reader {
			return &chunkReader{bytes.NewReader(stream), func() int { return 1 + rng.IntN(90000) }}
		},
		"small": func() io.Reader {
			return &chunkReader{bytes.NewReader(stream), func() int { return 1 + rng.IntN(3000) }}
		},
	}
	for name, mk := range readers {
		t.Run(name, func(t *testing.T) {
			var got []rawFrame
			if err := ReadFrames(mk(), collectFrames(&got)); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d frames, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("frame %d differs from a plain Feed", i)
				}
			}
		})
	}
}

func TestReadFramesByteByByte(t *testing.T) {
	stream := []byte("Content-Type: auth/request\n\nContent-Length: 5\nContent-Type: api/response\n\nhello")
	var got []rawFrame
	if err := ReadFrames(iotest.OneByteReader(bytes.NewReader(stream)), collectFrames(&got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Body != "hello" {
		t.Fatalf("frames %+v", got)
	}
}

func TestReadFramesErrors(t *testing.T) {
	frame := "Content-Length: 10\nContent-Type: text/event-plain\n\n0123456789"
	cut := bytes.NewReader([]byte(frame[:60]))
	if err := ReadFrames(cut, func(*Frame) error { return nil }); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("stream cut inside a frame: %v", err)
	}
	stop := errors.New("stop")
	if err := ReadFrames(bytes.NewReader([]byte(frame+frame)), func(*Frame) error { return stop }); err != stop {
		t.Fatalf("callback error: %v", err)
	}
	bad := bytes.NewReader([]byte("Content-Length: x\n\n"))
	if err := ReadFrames(bad, func(*Frame) error { return nil }); !errors.Is(err, ErrMalformed) {
		t.Fatalf("bad length: %v", err)
	}
	failing := iotest.ErrReader(errors.New("socket gone"))
	if err := ReadFrames(failing, func(*Frame) error { return nil }); err == nil || err.Error() != "socket gone" {
		t.Fatalf("read error: %v", err)
	}
}
