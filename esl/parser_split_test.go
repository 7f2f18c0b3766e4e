package esl

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// Every fixture, cut at every chunk size from 1 to 64, at a few large sizes
// and at random points, gives exactly the frames of a whole-buffer parse.
func TestSplitFeedsMatchWholeParse(t *testing.T) {
	fx := fsFixtures(t)
	sizes := [][]int{{100}, {1000}, {4093}, {65536}, {1 << 20}}
	for n := 1; n <= 64; n++ {
		sizes = append(sizes, []int{n})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]int, 257)
	for i := range random {
		random[i] = 1 + rng.IntN(3000)
	}
	sizes = append(sizes, random)
	for _, name := range sortedNames(fx) {
		data := fx[name]
		want, left, err := feedChunks(data, []int{len(data)})
		if err != nil || left != 0 || len(want) == 0 {
			t.Fatalf("%s: whole parse: %d frames, err %v, %d left", name, len(want), err, left)
		}
		for _, sz := range sizes {
			got, left, err := feedChunks(data, sz)
			if err != nil || left != 0 {
				t.Fatalf("%s split %v: err %v, %d bytes left", name, sz[0], err, left)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s split %v: %d frames differ from the %d of a whole parse", name, sz[0], len(got), len(want))
			}
		}
	}
}

// CRLF line ends and stray blank lines between frames are tolerated, also
// when split between the CR and the LF.
func TestSplitCRLFAndBlankLines(t *testing.T) {
	stream := []byte("\r\n\nContent-Type: api/response\r\nContent-Length: 3\r\n\r\nabc" +
		"Content-Type: command/reply\r\nReply-Text: +OK\r\n\r\n")
	for n := 1; n <= len(stream); n++ {
		got, left, err := feedChunks(stream, []int{n})
		if err != nil || left != 0 || len(got) != 2 {
			t.Fatalf("chunk %d: %d frames err %v left %d", n, len(got), err, left)
		}
		f := NewFrame([]byte(got[0].Head), []byte(got[0].Body))
		if f.ContentType() != TypeAPIResponse || got[0].Body != "abc" {
			t.Fatalf("chunk %d: first frame %+v", n, got[0])
		}
		if r := NewFrame([]byte(got[1].Head), nil); r.Header("reply-text") != "+OK" || got[1].HasBody {
			t.Fatalf("chunk %d: second frame %+v", n, got[1])
		}
	}
}

// A frame split inside its header block is scanned once: the parser keeps
// the scan state instead of searching the buffered bytes again, so feeding
// a big header block one byte at a time stays linear. The check is on the
// behaviour that depends on it: the partial frame is buffered and the frame
// comes out whole.
func TestSplitRemembersScanState(t *testing.T) {
	head := []byte("Content-Type: command/reply\n")
	for i := 0; i < 5000; i++ {
		head = append(head, "X-Pad: 0123456789\n"...)
	}
	head = append(head, '\n')
	p := NewParser(0)
	frames := 0
	for i := range head {
		err := p.Feed(head[i:i+1], func(f *Frame) error {
			frames++
			if len(f.HeaderBlock()) != len(head)-1 {
				t.Errorf("header block %d bytes", len(f.HeaderBlock()))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i < len(head)-1 && p.Buffered() != i+1 {
			t.Fatalf("after %d bytes %d buffered", i+1, p.Buffered())
		}
	}
	if frames != 1 || p.Buffered() != 0 {
		t.Fatalf("%d frames, %d buffered", frames, p.Buffered())
	}
}
