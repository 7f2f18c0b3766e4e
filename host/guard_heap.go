package host

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// heapReading is the Go heap as runtime/metrics reports it.
type heapReading struct {
	live  int64 // bytes that survived the last collection
	inUse int64 // bytes of objects now, garbage not yet swept included
	// armed is false while the runs last stopped for memory have not
	// been collected yet: the heap still counts their garbage.
	armed bool
}

// over reports whether the heap passed limit: the live heap 3/4 of it
// (the rest is room for the garbage of a collection cycle, goroutine
// stacks and the runtime), or the heap in use all of it (the collector
// is not keeping up).
func (h heapReading) over(limit int64) bool {
	return h.armed && (h.live >= limit/4*3 || h.inUse >= limit)
}

// heapSamples are the metrics read on every guard tick.
var heapSamples = []string{"/gc/heap/live:bytes", "/memory/classes/heap/objects:bytes", "/gc/cycles/total:gc-cycles"}

// memStopSettle bounds how long the guard waits for the runs it stopped
// for memory to end before it looks at the heap again.
const memStopSettle = time.Second

// heapWatch reads the heap for the guard and remembers the runs it
// stopped for memory: no run is stopped for memory again until those
// have ended and a collection has run since.
type heapWatch struct {
	samples   []metrics.Sample
	pending   map[*lane]uint64 // runs stopped, not ended yet
	pendSince time.Time
	afterGC   uint64 // the collection count when the forced collection began
}

// read samples the heap (only the guard's goroutine calls it).
func (w *heapWatch) read() heapReading {
	if w.samples == nil {
		w.samples = make([]metrics.Sample, len(heapSamples))
		for i, name := range heapSamples {
			w.samples[i].Name = name
		}
	}
	metrics.Read(w.samples)
	cycles := w.samples[2].Value.Uint64()
	return heapReading{
		live:  int64(w.samples[0].Value.Uint64()),
		inUse: int64(w.samples[1].Value.Uint64()),
		armed: w.settled() && cycles > w.afterGC,
	}
}

// settled reports whether the runs stopped for memory have ended (or
// memStopSettle passed); then it starts a collection, once.
func (w *heapWatch) settled() bool {
	if len(w.pending) == 0 {
		return true
	}
	for l, n := range w.pending {
		if !l.on(n) {
			delete(w.pending, l)
		}
	}
	if len(w.pending) > 0 && time.Since(w.pendSince) < memStopSettle {
		return false
	}
	clear(w.pending)
	w.afterGC = w.samples[2].Value.Uint64()
	go runtime.GC()
	return false
}

// stopped records run n of l, stopped for memory.
func (w *heapWatch) stopped(l *lane, n uint64) {
	if w.pending == nil {
		w.pending = map[*lane]uint64{}
	}
	if len(w.pending) == 0 {
		w.pendSince = time.Now()
	}
	w.pending[l] = n
}
