package esl

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// burstEvents returns n plain event frames numbered from first, each
// about 1.5 KB, back to back.
func burstEvents(first, n int) []byte {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		body := fmt.Sprintf("Event-Name: CUSTOM\nSeq: %d\nUnique-ID: id-%d\nPad: %s\n\n",
			i, i, strings.Repeat(string(rune('a'+i%26)), 1200+i%300))
		fmt.Fprintf(&b, "Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(body), body)
	}
	return []byte(b.String())
}

// burstConn connects a Conn to a loopback server that writes the bursts
// one by one, each after a receive on next, then waits for the client to
// close.
func burstConn(t *testing.T, opts ConnOptions, bursts [][]byte, next <-chan struct{}) *Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		for _, b := range bursts {
			if _, ok := <-next; !ok {
				return
			}
			if _, err := nc.Write(b); err != nil {
				return
			}
		}
		_, _ = io.Copy(io.Discard, nc) // until the client closes
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := NewConn(nc, opts)
	t.Cleanup(func() { c.Close() })
	return c
}

// checkEvent verifies one event of burstEvents.
func checkEvent(ev *Event, i int) error {
	if got := ev.Get("Seq"); got != strconv.Itoa(i) {
		return fmt.Errorf("event %d: Seq = %q (lost, out of order or overwritten)", i, got)
	}
	pad := ev.Get("Pad")
	if len(pad) != 1200+i%300 || strings.Trim(pad, string(rune('a'+i%26))) != "" {
		return fmt.Errorf("event %d: Pad of %d bytes is not its own", i, len(pad))
	}
	return nil
}

// TestBorrowedEventsReuseChunks streams bursts of events to a Borrow
// subscription that releases each one: once the connection is busy (its
// first small reads are copied out, not lent) events are lent, the reader
// reads later bursts into released chunks, every event still reads as
// itself, and the strings kept from released events stay intact.
func TestBorrowedEventsReuseChunks(t *testing.T) {
	const bursts, per = 6, 700 // ~1 MB a burst
	var data [][]byte
	for k := range bursts {
		data = append(data, burstEvents(k*per, per))
	}
	next := make(chan struct{}, 1)
	c := burstConn(t, ConnOptions{}, data, next)
	sub := c.Subscribe(SubscribeOptions{Borrow: true, Queue: bursts * per})
	kept := map[int]string{}
	lent := drainBorrowed(t, sub, bursts*per, per, next, func(i int, ev *Event) {
		if i%97 == 0 {
			kept[i] = ev.Get("Unique-ID")
		}
	})
	if lent < bursts*per/2 {
		t.Fatalf("only %d of %d events were lent", lent, bursts*per)
	}
	if c.chunks.reused.Load() == 0 {
		t.Fatal("no read chunk was reused although every event was released")
	}
	for i, v := range kept {
		if v != "id-"+strconv.Itoa(i) {
			t.Fatalf("Unique-ID kept from event %d changed to %q after its chunk was reused", i, v)
		}
	}
}

// drainBorrowed receives n events of burstEvents from a Borrow
// subscription: it checks each one, shows it to see, releases it, and asks
// for the next burst after every per events. It returns how many were lent.
func drainBorrowed(t *testing.T, sub *Subscription, n, per int, next chan<- struct{}, see func(int, *Event)) int {
	t.Helper()
	lent := 0
	next <- struct{}{}
	for i := range n {
		ev := recvEvent(t, sub, i)
		if ev.lease != nil {
			lent++
		}
		if err := checkEvent(ev, i); err != nil {
			t.Fatal(err)
		}
		see(i, ev)
		ev.Release()
		if i%per == per-1 && i < n-1 {
			next <- struct{}{}
		}
	}
	return lent
}

// recvEvent waits for event i.
func recvEvent(t *testing.T, sub *Subscription, i int) *Event {
	t.Helper()
	select {
	case ev, ok := <-sub.C:
		if !ok {
			t.Fatalf("subscription closed before event %d", i)
		}
		return ev
	case <-time.After(testWait):
		t.Fatalf("no event %d within %v", i, testWait)
	}
	return nil
}

// TestOwnedConsumerStopsLending: with one subscription that does not
// borrow (or an OnEvent hook), no event is lent, Release does nothing,
// and no chunk is ever reused, whatever the Borrow subscription does.
func TestOwnedConsumerStopsLending(t *testing.T) {
	for _, withHook := range []bool{false, true} {
		t.Run(fmt.Sprintf("hook=%v", withHook), func(t *testing.T) {
			const bursts, per = 3, 700
			var data [][]byte
			for k := range bursts {
				data = append(data, burstEvents(k*per, per))
			}
			next := make(chan struct{}, 1)
			var opts ConnOptions
			if withHook {
				opts.OnEvent = func(*Event) {}
			}
			c := burstConn(t, opts, data, next)
			borrowed := c.Subscribe(SubscribeOptions{Borrow: true, Queue: bursts * per})
			var owned *Subscription
			if !withHook {
				owned = c.Subscribe(SubscribeOptions{Queue: bursts * per})
			}
			var evs []*Event
			next <- struct{}{}
			for i := range bursts * per {
				ev := recvEvent(t, borrowed, i)
				if ev.lease != nil {
					t.Fatalf("event %d was lent although a consumer owns events", i)
				}
				ev.Release()
				evs = append(evs, ev)
				if owned != nil {
					recvEvent(t, owned, i)
				}
				if i%per == per-1 {
					next <- struct{}{}
				}
			}
			for i, ev := range evs {
				if err := checkEvent(ev, i); err != nil {
					t.Fatalf("after Release and later reads: %v", err)
				}
			}
			if n := c.chunks.reused.Load(); n != 0 {
				t.Fatalf("%d chunks reused while events were owned", n)
			}
		})
	}
}

// lentEvent returns an event lent from its own chunk, and the chunk.
func lentEvent(t *testing.T) (*Event, []byte, *chunkCache) {
	t.Helper()
	buf := []byte("Event-Name: CUSTOM\nSeq: 7\nUnique-ID: id-7\n\n")
	ev, err := ParseEvent(FormatPlain, buf)
	if err != nil {
		t.Fatal(err)
	}
	cache := new(chunkCache)
	l := newLease(buf, cache)
	ev.lend(l)
	l.release() // the reader moved on: the event holds the chunk alone
	return ev, buf, cache
}

func TestReleaseMoreThanDeliveredPanics(t *testing.T) {
	ev, _, _ := lentEvent(t)
	ev.borrow() // delivered to one subscription
	ev.Release()
	ev.Release()
	defer func() {
		if recover() == nil {
			t.Fatal("a third Release of an event held twice did not panic")
		}
	}()
	ev.Release()
}

func TestReleaseOnOwnedEventDoesNothing(t *testing.T) {
	ev, err := ParseEvent(FormatPlain, []byte("Event-Name: CUSTOM\nSeq: 1\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	ev.Release()
	ev.Release()
	if ev.Get("Seq") != "1" {
		t.Fatalf("owned event lost its headers to Release: Seq = %q", ev.Get("Seq"))
	}
}

// TestLentStringsAndClonesOutliveTheChunk overwrites a lent event's chunk
// after its release: values read before, and a Clone, keep their bytes.
func TestLentStringsAndClonesOutliveTheChunk(t *testing.T) {
	ev, buf, _ := lentEvent(t)
	id, body := ev.Get("Unique-ID"), ev.Body()
	name, value := ev.Header(1)
	var ranged []string
	ev.Range(func(n, v string) bool { ranged = append(ranged, n+"="+v); return true })
	clone := ev.Clone()
	ev.Release()
	for i := range buf {
		buf[i] = 'X'
	}
	if id != "id-7" || body != "" || name != "Seq" || value != "7" {
		t.Fatalf("values read from the lent event changed: %q %q %q %q", id, body, name, value)
	}
	if strings.Join(ranged, ",") != "Event-Name=CUSTOM,Seq=7,Unique-ID=id-7" {
		t.Fatalf("Range values changed: %v", ranged)
	}
	if clone.Get("Seq") != "7" || clone.Name() != "CUSTOM" || clone.lease != nil {
		t.Fatalf("clone lost its bytes: Seq=%q Name=%q", clone.Get("Seq"), clone.Name())
	}
	if ev.Get("Seq") != "" {
		t.Fatalf("a released event still reads its old chunk: Seq = %q", ev.Get("Seq"))
	}
}

// TestReleasedChunkGoesBackOnce: the last release returns the chunk to
// the cache; a chunk that lent nothing never goes back.
func TestReleasedChunkGoesBackOnce(t *testing.T) {
	_, _, cache := lentEvent(t)
	if len(cache.free) != 0 {
		t.Fatal("chunk cached while its event is held")
	}
	ev, _, cache := lentEvent(t)
	ev.Release()
	if len(cache.free) != 0 { // not a maxChunk chunk: left to the collector
		t.Fatal("a small chunk was cached")
	}
	big := make([]byte, maxChunk)
	l := newLease(big, cache)
	l.release()
	if len(cache.free) != 0 {
		t.Fatal("a chunk that lent no event was cached: its bytes may alias owned events")
	}
}

// TestClientBorrowLendsEvents: a Client whose only subscription borrows
// gets lent events (its connection publishes to the Client's own
// subscriptions), and its read chunks are reused.
func TestClientBorrowLendsEvents(t *testing.T) {
	const bursts, per = 4, 700
	next := make(chan struct{}, 1)
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if !authOK(p) {
			return
		}
		for k := range bursts {
			if _, ok := <-next; !ok {
				return
			}
			p.send(string(burstEvents(k*per, per)))
		}
		p.read()
	})
	c, err := dialTest(s.addr(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sub := c.Subscribe(SubscribeOptions{Borrow: true, Queue: bursts * per})
	lent := drainBorrowed(t, sub, bursts*per, per, next, func(int, *Event) {})
	if lent < bursts*per/2 {
		t.Fatalf("only %d of %d events were lent to the Client's Borrow subscription", lent, bursts*per)
	}
}

// TestQuietConnectionKeepsNoChunks: when the reader drops its chunk
// before an idle wait, the released chunks it kept are freed, and chunks
// released while it stays quiet are not kept; a busy read reopens it.
func TestQuietConnectionKeepsNoChunks(t *testing.T) {
	var c chunks
	c.size = maxChunk
	c.space()
	c.cache.put(make([]byte, maxChunk))
	if len(c.cache.free) != 1 {
		t.Fatal("a released chunk was not kept while busy")
	}
	c.drop()
	if len(c.cache.free) != 0 {
		t.Fatal("an idle connection kept its released chunks")
	}
	c.cache.put(make([]byte, maxChunk))
	if len(c.cache.free) != 0 {
		t.Fatal("a chunk released while quiet was kept")
	}
	c.space() // busy again: asks the cache, which reopens
	c.cache.put(make([]byte, maxChunk))
	if len(c.cache.free) != 1 {
		t.Fatal("the cache did not reopen for a busy reader")
	}
}
