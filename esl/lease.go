package esl

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Borrowed events. A busy connection reads the socket into 256 KiB chunks
// and its events alias them. An owned event keeps its chunk alive until
// the garbage collector frees both, so a consumer of hundreds of thousands
// of events a second makes the process allocate gigabytes a second of
// short-lived memory. A subscription made with SubscribeOptions.Borrow
// lends its events instead: each one pins its chunk only until the
// consumer calls Release, and a chunk whose events are all released goes
// back to the connection and is read into again while it is still in
// the CPU caches.
//
// Lending is all or nothing per event: an event is lent only when every
// consumer of the connection borrows (no ConnOptions.OnEvent, every
// subscription made with Borrow) and it is not the result of a bgapi job
// of this connection still waiting for it (a job keeps its event; a
// BACKGROUND_JOB of another client's job is lent like any event). Any other
// event aliasing a chunk pins it for good (the chunk is then freed by the
// garbage collector, as without Borrow).

// chunkCacheSize is how many released chunks a busy connection keeps for
// reuse: 8 MiB of maxChunk chunks, enough for the reader to run that far
// ahead of its consumers without allocating. A connection that goes quiet
// frees them (see chunkCache.close).
const chunkCacheSize = 32

// lease counts who still uses one read chunk: the reader while it reads
// into it, and each lent event that aliases it.
type lease struct {
	buf    []byte
	refs   atomic.Int32
	lent   atomic.Bool // an event was lent from buf
	pinned atomic.Bool // an owned event aliases buf: never reuse it
	home   *chunkCache
}

// newLease starts a lease on buf held by the reader.
func newLease(buf []byte, home *chunkCache) *lease {
	l := &lease{buf: buf, home: home}
	l.refs.Store(1)
	return l
}

// release drops one reference. The last one returns the chunk to its
// cache when events were lent from it and no owned event pinned it (a
// chunk that lent nothing keeps the reader's promise that bytes handed
// out are never written again).
func (l *lease) release() {
	if l.refs.Add(-1) == 0 && l.lent.Load() && !l.pinned.Load() {
		l.home.put(l.buf)
	}
}

// chunkCache keeps the released chunks of one connection while it is busy.
type chunkCache struct {
	mu     sync.Mutex
	free   [][]byte
	quiet  bool          // the reader waits holding no memory: keep nothing
	reused atomic.Uint64 // chunks read into again (tests, diagnostics)
}

// get returns a released chunk, or nil. The reader asks only when busy.
func (cc *chunkCache) get() []byte {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.quiet = false
	n := len(cc.free)
	if n == 0 {
		return nil
	}
	b := cc.free[n-1]
	cc.free[n-1] = nil
	cc.free = cc.free[:n-1]
	cc.reused.Add(1)
	return b
}

// put keeps a released chunk if there is room (else the collector frees it).
func (cc *chunkCache) put(b []byte) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if !cc.quiet && len(cc.free) < chunkCacheSize && cap(b) == maxChunk {
		cc.free = append(cc.free, b[:cap(b)])
	}
}

// close frees the kept chunks when the connection goes quiet; chunks
// released while it stays quiet are not kept.
func (cc *chunkCache) close() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.quiet = true
	clear(cc.free)
	cc.free = cc.free[:0]
}

// lend marks ev as lent from l, held once by the reader while it
// publishes the event (see Conn.handleEvent).
func (e *Event) lend(l *lease) {
	e.lease = l
	e.lends.Store(1)
	l.lent.Store(true)
	l.refs.Add(1)
}

// borrow adds one holder to a lent event (a subscription queued it).
func (e *Event) borrow() {
	if e.lease != nil {
		e.lends.Add(1)
	}
}

// Release tells the connection that the receiver of an event from a
// Borrow subscription is done with it: once every holder released it, its
// read memory is reused for later events. Call it once per event
// received; after it the event must not be used (keep Clone's copy
// instead), although strings already read from it stay valid. On any
// other event Release does nothing.
func (e *Event) Release() {
	if e.lease == nil {
		return
	}
	switch n := e.lends.Add(-1); {
	case n == 0:
		l := e.lease
		e.s, e.body, e.hend, e.idx = "", "", 0, nil
		l.release()
	case n < 0:
		panic("esl: Event.Release called more times than the event was delivered")
	}
}

// owned returns v as the caller may keep it: a copy when the event is
// lent (its bytes will be reused), v itself otherwise.
func (e *Event) owned(v string) string {
	if e.lease != nil {
		return strings.Clone(v)
	}
	return v
}

// Clone returns a copy of the event that owns its memory: the way to keep
// an event from a Borrow subscription past its Release.
func (e *Event) Clone() *Event {
	if e.built {
		c := &Event{Node: e.Node, format: e.format, built: true, body: e.body, skipA: -1, skipB: -1}
		c.hs = append([]field(nil), e.hs...)
		return c
	}
	c, err := ParseEvent(e.format, []byte(e.s))
	if err != nil { // the text parsed once already; keep what can be kept
		c = NewEvent(e.Name())
	}
	c.Node = e.Node
	return c
}
