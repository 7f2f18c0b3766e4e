package host

import (
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"github.com/eslscript/eslscript/esl"
)

// chunkEvents parses n events out of 256 KiB chunks, as the esl reader
// does: each event aliases the chunk it was read into.
func chunkEvents(n int) (evs []*esl.Event, chunks [][]byte) {
	var chunk []byte
	for i := range n {
		text := fmt.Sprintf("Event-Name: CHANNEL_ANSWER\nUnique-ID: call-%08d\nEvent-Sequence: %d\nCaller-Caller-ID-Number: 5550100\nvariable_sip_call_id: abcdef%08d@10.0.0.1\n\n", i, i, i)
		if len(chunk)+len(text) > cap(chunk) || chunk == nil {
			chunk = make([]byte, 0, 256<<10)
			chunks = append(chunks, chunk)
		}
		start := len(chunk)
		chunk = append(chunk, text...)
		ev, err := esl.ParseEvent(esl.FormatPlain, chunk[start:len(chunk):len(chunk)])
		if err != nil {
			panic(err)
		}
		evs = append(evs, ev)
	}
	return evs, chunks
}

// inChunk reports whether s's bytes lie inside one of chunks.
func inChunk(s string, chunks [][]byte) bool {
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, c := range chunks {
		b := uintptr(unsafe.Pointer(unsafe.SliceData(c[:1])))
		if p >= b && p < b+uintptr(cap(c)) {
			return true
		}
	}
	return false
}

// An event that waits in a worker's queue owns its bytes: it does not
// keep its 256 KiB read chunk alive (86 KiB per queued event were
// measured under a flood). The one handed to an idle worker is not copied.
func TestQueuedEventsDoNotPinReadChunks(t *testing.T) {
	evs, chunks := chunkEvents(3)
	q := newWorkQueue(10, nil)
	for _, ev := range evs {
		if r := q.push(dispatched(ev, 1)); r != "" {
			t.Fatal(r)
		}
	}
	for i := range evs {
		it, _ := q.pop()
		v := it.ev.Get("Unique-ID")
		if v != fmt.Sprintf("call-%08d", i) || it.uuid != v {
			t.Fatalf("event %d: Unique-ID %q, item's %q", i, v, it.uuid)
		}
		if aliased := aliases(it, chunks); aliased != (i == 0) {
			t.Fatalf("event %d aliases its read chunk: %v (want only the first, handled at once)", i, aliased)
		}
	}
}

// dispatched is the item dispatchNamed makes of ev read at offset off:
// its name and uuid are read from the event (slices of its bytes).
func dispatched(ev *esl.Event, off int64) item {
	uuid, _ := callUUID(ev)
	return item{ev: ev, name: ev.Name(), uuid: uuid, off: off}
}

// aliases reports whether anything of it lies in one of chunks.
func aliases(it item, chunks [][]byte) bool {
	return inChunk(it.ev.Get("Unique-ID"), chunks) || inChunk(it.name, chunks) || inChunk(it.uuid, chunks)
}

// A waiting event keeps aliasing its read chunk while every waiting event
// that does so was read at most aliasWindow bytes earlier; past that it
// is copied, and once the old one is handled, aliasing resumes.
func TestWaitingEventsAliasWithinTheWindow(t *testing.T) {
	evs, chunks := chunkEvents(4)
	win := &pinWindow{}
	q := newWorkQueue(10, win)
	win.queues = []*workQueue{q}
	q.push(item{}) // the worker is busy: the events wait
	for i, off := range []int64{1, aliasWindow / 2, aliasWindow + 1} {
		if r := q.push(dispatched(evs[i], off)); r != "" {
			t.Fatal(r)
		}
	}
	q.pop()
	for i, want := range []bool{true, true, false} {
		it, _ := q.pop()
		if got := aliases(it, chunks); got != want {
			t.Fatalf("event %d aliases its chunk: %v, want %v", i, got, want)
		}
		if i == 0 {
			q.push(item{}) // busy again, with event 0 handled
			q.push(dispatched(evs[3], aliasWindow+2))
		}
	}
	q.pop()
	if it, _ := q.pop(); !aliases(it, chunks) || q.oldestPin.Load() != noPin {
		t.Fatalf("an event read after the oldest aliasing one was handled was copied (oldest pin %d)", q.oldestPin.Load())
	}
}

// BenchmarkQueuedEventHeap floods one worker queue (limit 5,000 events,
// as a backlog under a slow handler) with events read from 256 KiB chunks
// (one in 100 events read is queued) and reports the live heap per
// queued event.
func BenchmarkQueuedEventHeap(b *testing.B) {
	const n = 5000
	for range b.N {
		var before, after runtime.MemStats
		q := newWorkQueue(n, nil)
		q.push(item{}) // the worker is busy: everything after it waits
		runtime.GC()
		runtime.ReadMemStats(&before)
		fill(q, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "heapB/queued-event")
		runtime.KeepAlive(q)
	}
}

// fill queues n events read from chunks, one in every 100 read (the
// script's share of a busy node's stream; the rest went to no script or
// were handled at once); nothing but q holds them after.
func fill(q *workQueue, n int) {
	evs, _ := chunkEvents(100 * n)
	for i := 0; i < len(evs); i += 100 {
		q.push(item{ev: evs[i]})
	}
}

// BenchmarkStartHeapPerWorker starts a host with 16 workers and no
// script and reports the live heap it took, per worker.
func BenchmarkStartHeapPerWorker(b *testing.B) {
	const workers = 16
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		h, err := New(Options{ScriptsDir: b.TempDir(), Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/workers, "heapB/worker")
		_ = h.Shutdown(b.Context())
	}
}
