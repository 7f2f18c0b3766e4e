package esl

import "sync"

// Reader chunk sizes. The reader reads the socket into chunks that are never
// overwritten, so an event whose frame arrived whole in one read keeps
// pointing into its chunk instead of being copied. The chunk size adapts to
// the traffic: a quiet outbound call holds a few KiB, a busy event consumer
// reads 256 KiB at a time.
const (
	minChunk = 4 << 10
	maxChunk = 256 << 10
)

// chunks hands out read space from append-only chunks. A retained event
// pins the chunk it lies in; the chunk is freed when its last event is.
type chunks struct {
	buf    []byte      // current chunk
	off    int         // bytes of buf already handed to the parser
	size   int         // size of the next chunk
	pinned bool        // an event may alias buf: it must not be recycled
	lease  *lease      // counts the users of a busy connection's chunk (see lease)
	cache  *chunkCache // the connection's released chunks
}

// smallChunks recycles the minChunk-sized chunks of quiet connections.
// Their events are copied out (see reader), so once its bytes are parsed
// nothing aliases an unpinned chunk, and a wake-up of a quiet connection
// (an api reply, a parked call's event) allocates no read space.
var smallChunks = sync.Pool{New: func() any {
	b := make([]byte, minChunk)
	return &b
}}

// space returns where the next read goes, starting a new chunk when less
// than a quarter of the current one is left.
func (c *chunks) space() []byte { return c.spaceAfter(nil, 0) }

// spaceAfter is space that, when it starts a new chunk, first copies carry
// (the start of a frame of total bytes still arriving, which lies at the
// end of the current chunk) to the new chunk's beginning, so the frame
// stays in one piece. The new chunk is made large enough for the frame;
// total must not exceed maxChunk.
func (c *chunks) spaceAfter(carry []byte, total int) []byte {
	if c.size == 0 {
		c.size = minChunk
	}
	if c.full() {
		prev, pinned, l := c.buf, c.pinned, c.lease
		c.lease = nil
		for c.size < total {
			c.size *= 2
		}
		nb := c.newChunk()
		c.buf, c.off, c.pinned = nb, copy(nb, carry), false
		recycleChunk(prev, pinned, l)
	}
	return c.buf[c.off:]
}

// full reports whether the next space starts a new chunk (less than a
// quarter of the current one is left).
func (c *chunks) full() bool { return len(c.buf)-c.off < c.size/4 }

// newChunk returns an empty chunk of the next size.
func (c *chunks) newChunk() []byte {
	if c.size == minChunk {
		return *smallChunks.Get().(*[]byte)
	}
	if c.size <= quietChunk {
		return make([]byte, c.size)
	}
	if c.cache == nil {
		c.cache = new(chunkCache)
	}
	b := c.cache.get() // a released chunk (maxChunk) serves any busy size
	if b == nil {
		b = make([]byte, c.size)
	}
	c.lease = newLease(b, c.cache)
	return b
}

// recycle pools the current chunk when nothing can alias it.
func (c *chunks) recycle() {
	recycleChunk(c.buf, c.pinned, c.lease)
	c.buf, c.pinned, c.lease = nil, false, nil
}

// recycleChunk pools a small chunk nothing can alias, and drops the
// reader's hold on a leased one.
func recycleChunk(b []byte, pinned bool, l *lease) {
	if b != nil && !pinned && len(b) == minChunk {
		b = b[:minChunk]
		smallChunks.Put(&b)
	}
	if l != nil {
		l.release()
	}
}

// commit marks n bytes of the last space as read and returns them, capped
// so nothing can append into the rest of the chunk. It grows the next
// chunk when the read filled the space, and shrinks it when reads are small.
func (c *chunks) commit(n int) []byte {
	room := len(c.buf) - c.off
	b := c.buf[c.off : c.off+n : c.off+n]
	c.off += n
	switch {
	case n == room && c.size < maxChunk:
		c.size *= 2
	case n < c.size/16 && c.size > minChunk:
		c.size /= 2
	}
	return b
}

// commitWindow is commit that returns the whole chunk read so far (capped
// at its end) and where the n new bytes start in it.
func (c *chunks) commitWindow(n int) (win []byte, from int) {
	from = c.off
	c.commit(n)
	return c.buf[:c.off:c.off], from
}

// drop forgets the current chunk, so that an idle connection holds no read
// space; events that alias it keep it alive. The next space starts a new
// chunk.
func (c *chunks) drop() {
	c.recycle()
	if c.cache != nil {
		c.cache.close()
	}
	c.off = 0
}
