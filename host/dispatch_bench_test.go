package host

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// countObs counts finished handlers and dispatch lag.
type countObs struct {
	NopObserver
	done    atomic.Int64
	lagSum  atomic.Int64
	lagMax  atomic.Int64
	dropped atomic.Int64
}

func (o *countObs) HandlerDone(string, string, time.Duration, error, bool) { o.done.Add(1) }
func (o *countObs) EventDropped(string, string)                            { o.dropped.Add(1) }
func (o *countObs) DispatchLag(d time.Duration) {
	o.lagSum.Add(int64(d))
	for {
		m := o.lagMax.Load()
		if int64(d) <= m || o.lagMax.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// BenchmarkDispatch measures events through the dispatcher into a Lua
// handler that reads one header, 1000 calls interleaved.
func BenchmarkDispatch(b *testing.B) {
	src := `return { events = { CHANNEL_STATE = function(ev) local _ = ev:get("Unique-ID") end }}`
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "b.lua"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	obs := &countObs{}
	h, err := New(Options{ScriptsDir: dir, Observer: obs})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Shutdown(b.Context())
	evs := make([]*esl.Event, 1000)
	for i := range evs {
		evs[i] = callEvent("CHANNEL_STATE", fmt.Sprintf("call-%d", i), i)
	}
	b.ResetTimer()
	for i := range b.N {
		h.dispatchEvent("n1", evs[i%len(evs)], time.Now())
		for int64(i)-obs.done.Load()-obs.dropped.Load() > 10000 {
			time.Sleep(10 * time.Microsecond) // keep the queues from overflowing
		}
	}
	for obs.done.Load()+obs.dropped.Load() < int64(b.N) {
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(obs.lagSum.Load())/float64(b.N)/1e3, "lag-µs/op")
	b.ReportMetric(float64(obs.dropped.Load()), "dropped")
}
