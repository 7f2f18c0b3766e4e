package esl

import (
	"bytes"
	"errors"
	"runtime"
	"testing"
)

// allocatedBytes reports how many heap bytes fn allocates.
func allocatedBytes(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestOversizeContentLength(t *testing.T) {
	frame := []byte("Content-Type: api/response\nContent-Length: 16777217\n\nxyz")
	p := NewParser(0)
	err := p.Feed(frame, func(*Frame) error { t.Fatal("frame delivered"); return nil })
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err %v, want ErrFrameTooLarge", err)
	}
	if cap(p.buf) > 1024 {
		t.Fatalf("buffer grew to %d bytes", cap(p.buf))
	}
	if err2 := p.Feed([]byte("x"), nil); !errors.Is(err2, ErrFrameTooLarge) {
		t.Fatalf("parser not dead after error: %v", err2)
	}
	// The parser and the error text are allocated, never the 16 MiB body.
	if n := allocatedBytes(func() { _ = NewParser(0).Feed(frame, nil) }); n > 64<<10 {
		t.Fatalf("rejecting the frame allocated %d bytes", n)
	}
	// Exactly the limit is fine (the frame just waits for its body).
	ok := NewParser(0)
	if err := ok.Feed([]byte("Content-Length: 16777216\n\nab"), nil); err != nil {
		t.Fatalf("16 MiB body refused: %v", err)
	}
}

func TestOversizeHeaderBlock(t *testing.T) {
	const max = 1 << 16
	chunk := bytes.Repeat([]byte("X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"), 64)
	p := NewParser(max)
	var err error
	fed := 0
	for fed <= 2*max && err == nil {
		err = p.Feed(chunk, func(*Frame) error { t.Fatal("frame delivered"); return nil })
		fed += len(chunk)
	}
	if !errors.Is(err, ErrFrameTooLarge) || fed > max+len(chunk) {
		t.Fatalf("err %v after %d bytes", err, fed)
	}
	if cap(p.buf) > 2*max {
		t.Fatalf("buffer capacity %d, far over the %d limit", cap(p.buf), max)
	}
	whole16 := bytes.Repeat([]byte("a"), MaxFrameSize+1)
	if n := allocatedBytes(func() { _ = NewParser(0).Feed(whole16, nil) }); n > 64<<10 {
		t.Fatalf("rejecting a 16 MiB header block allocated %d bytes", n)
	}
	// The same in one piece, without a newline at all.
	long := bytes.Repeat([]byte("a"), max+1)
	if err := NewParser(max).Feed(long, nil); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("one-piece header: %v", err)
	}
	// A complete but oversized header block in one piece.
	whole := append(bytes.Repeat([]byte("X: y\n"), max/5+1), '\n')
	if err := NewParser(max).Feed(whole, nil); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("complete oversized header: %v", err)
	}
}

func TestMalformedContentLength(t *testing.T) {
	for _, v := range []string{"-1", "abc", "", "12x", "+5", "0x10"} {
		frame := []byte("Content-Type: api/response\nContent-Length: " + v + "\n\n")
		err := NewParser(0).Feed(frame, func(*Frame) error { t.Fatalf("%q: frame delivered", v); return nil })
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Content-Length %q: err %v, want ErrMalformed", v, err)
		}
	}
	huge := []byte("Content-Length: 99999999999999999999999999999\n\n")
	if err := NewParser(0).Feed(huge, nil); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("overflowing Content-Length: %v", err)
	}
}

func TestCallbackErrorStopsParser(t *testing.T) {
	stop := errors.New("stop")
	p := NewParser(0)
	calls := 0
	stream := []byte("Content-Type: auth/request\n\nContent-Type: auth/request\n\n")
	err := p.Feed(stream, func(*Frame) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
}
