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
	q := newWorkQueue(10)
	for _, ev := range evs {
		if r := q.push(item{ev: ev}); r != "" {
			t.Fatal(r)
		}
	}
	for i := range evs {
		it, _ := q.pop()
		v := it.ev.Get("Unique-ID")
		if v != fmt.Sprintf("call-%08d", i) {
			t.Fatalf("event %d: Unique-ID %q", i, v)
		}
		if aliased := inChunk(v, chunks); aliased != (i == 0) {
			t.Fatalf("event %d aliases its read chunk: %v (want only the first, handled at once)", i, aliased)
		}
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
		q := newWorkQueue(n)
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
