package esl

import (
	"bytes"
	"testing"
)

// TestChunksNeverReuseHandedOutBytes checks the reader's promise that bytes
// given to the parser are never written again, whatever the read sizes.
func TestChunksNeverReuseHandedOutBytes(t *testing.T) {
	var c chunks
	var handed [][]byte
	var want [][]byte
	for i := 0; i < 300; i++ {
		sp := c.space()
		n := min(len(sp), 1+(i*7919)%(len(sp)+1))
		if i%5 == 0 {
			n = len(sp) // full reads make the chunks grow
		}
		fill := bytes.Repeat([]byte{byte(i)}, n)
		copy(sp, fill)
		b := c.commit(n)
		if cap(b) != len(b) {
			t.Fatalf("commit returned cap %d > len %d: appends could overwrite the chunk", cap(b), len(b))
		}
		handed = append(handed, b)
		want = append(want, fill)
	}
	for i := range handed {
		if !bytes.Equal(handed[i], want[i]) {
			t.Fatalf("read %d was overwritten", i)
		}
	}
}

func TestChunksAdaptSize(t *testing.T) {
	var c chunks
	for i := 0; i < 20; i++ {
		c.commit(len(c.space()))
	}
	if c.size != maxChunk {
		t.Fatalf("after full reads size = %d, want %d", c.size, maxChunk)
	}
	for i := 0; i < 200; i++ {
		c.space()
		c.commit(10)
	}
	if c.size != minChunk {
		t.Fatalf("after tiny reads size = %d, want %d", c.size, minChunk)
	}
}
