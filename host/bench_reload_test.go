package host_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// Reload benchmark parameters.
const (
	reloadRate    = 10000 // events/s into the consumer
	reloadSpacing = 250 * time.Millisecond
	reloadWait    = 10 * time.Second
)

// reloadScript is version %d of the consumer: it reports every event to Go,
// which checks each leg's counter across generations.
const reloadScript = `local bench = require("bench")
return { events = { ["*"] = function(ev)
  if ev:get("Node-State") then return end -- the host's eslscript::node_up
  bench.mark(%d, ev:get("Unique-ID"), ev:var("bench_seq"))
end }}
`

// BenchmarkReload (target 3): a 10k events/s stream runs into a consumer
// script while it is rewritten; one op is one rewrite, timed from the
// file write to the first event handled by the new version. Modes:
//   - watch: host.Watch with the default debounce (the product path);
//   - watch-20ms: host.Watch with Options.WatchDebounce = 20ms;
//   - direct: Host.Reload called right after the write (no watcher).
//
// Every event must be handled exactly once, in per-leg order, across all
// the generations (lost and doubled must be 0). Use -benchtime=Nx.
func BenchmarkReload(b *testing.B) {
	b.Run("watch", func(b *testing.B) { benchReload(b, 0, true) })
	b.Run("watch-20ms", func(b *testing.B) { benchReload(b, 20*time.Millisecond, true) })
	b.Run("direct", func(b *testing.B) { benchReload(b, 0, false) })
}

func benchReload(b *testing.B, debounce time.Duration, watch bool) {
	s := loadBenchStream(b, benchCalls)
	led := newLedger()
	rig := newReloadRig(b, led, debounce)
	fs := startFakeFS(b, blastPlan{s: s, total: 1 << 40, rate: reloadRate})
	c := dialFakeFS(b, fs)
	began := time.Now()
	if err := rig.h.AddNode(b.Context(), "fs", c); err != nil {
		b.Fatal(err)
	}
	apply := func() {
		if err := rig.h.Reload(); err != nil {
			b.Fatal(err)
		}
	}
	if watch {
		startWatch(b, rig.h)
		apply = func() {}
		primeWatch(b, rig, led) // the watcher is live once version 1 runs
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		v := led.version() + 1
		t0 := time.Now()
		writeScript(b, rig.dir, "consumer.lua", fmt.Sprintf(reloadScript, v))
		apply()
		t1, ok := led.waitVersion(v, reloadWait)
		if !ok {
			b.Fatalf("reload %d: version %d not serving after %v", i, v, reloadWait)
		}
		lat = append(lat, t1.Sub(t0))
		time.Sleep(reloadSpacing)
	}
	b.StopTimer()
	sent := fs.halt(b)
	b.ReportMetric(float64(sent)/time.Since(began).Seconds(), "events/s")
	waitHandled(b, led.count, sent, rig.check)
	reportReload(b, lat, led, sent)
}

// reportReload reports p50/max and fails on any lost or doubled event.
func reportReload(b *testing.B, lat []time.Duration, led *ledger, sent int) {
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	lost, doubled, handled := led.totals()
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(doubled), "doubled")
	b.ReportMetric(float64(sent), "events")
	if lost != 0 || doubled != 0 || handled != int64(sent) {
		b.Fatalf("sent %d, handled %d: %d lost, %d doubled", sent, handled, lost, doubled)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// newReloadRig starts a host on version 0 of the reload script, with the
// ledger as the bench module's mark hook.
func newReloadRig(b *testing.B, led *ledger, debounce time.Duration) *consumerRig {
	rig := &consumerRig{obs: &benchObs{}, mod: &benchModule{mark: led.mark}, dir: b.TempDir()}
	writeScript(b, rig.dir, "consumer.lua", fmt.Sprintf(reloadScript, 0))
	rig.h = startRigHost(b, rig, host.Options{WatchDebounce: debounce})
	return rig
}

// startWatch runs Host.Watch until the benchmark ends.
func startWatch(b *testing.B, h *host.Host) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Watch(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	})
}

// primeWatch writes version 1 until it serves: the watcher starts
// asynchronously, so the first write may come before it watches.
func primeWatch(b *testing.B, rig *consumerRig, led *ledger) {
	deadline := time.Now().Add(reloadWait)
	for time.Now().Before(deadline) {
		writeScript(b, rig.dir, "consumer.lua", fmt.Sprintf(reloadScript, 1))
		if _, ok := led.waitVersion(1, time.Second); ok {
			return
		}
	}
	b.Fatal("the watcher never reloaded the script")
}

// ledger checks, across generations, that every leg's events arrive
// once and in order, and times the first event of each script version.
type ledger struct {
	mu      sync.Mutex
	last    map[string]int
	lost    int64
	doubled int64
	first   map[int]time.Time
	changed chan struct{} // signalled when a new version is first seen

	handled atomic.Int64
	newest  atomic.Int64
}

func newLedger() *ledger {
	return &ledger{last: map[string]int{}, first: map[int]time.Time{}, changed: make(chan struct{}, 1)}
}

// mark is bench.mark(version, uuid, counter).
func (l *ledger) mark(L *lua.LState) {
	v, id := L.CheckInt(1), L.CheckString(2)
	n, err := strconv.Atoi(L.CheckString(3))
	if err != nil {
		L.RaiseError("bad counter: %v", err)
	}
	l.mu.Lock()
	l.account(id, n)
	if _, ok := l.first[v]; !ok {
		l.first[v] = time.Now()
		l.newest.Store(int64(max(int(l.newest.Load()), v)))
		select {
		case l.changed <- struct{}{}:
		default:
		}
	}
	l.mu.Unlock()
	l.handled.Add(1)
}

// account checks counter n of leg id against the previous one.
func (l *ledger) account(id string, n int) {
	prev := l.last[id]
	switch {
	case n == prev+1, n == 1:
	case n <= prev:
		l.doubled++
	default:
		l.lost += int64(n - prev - 1)
	}
	l.last[id] = n
}

// waitVersion waits until version v handled an event; it returns when.
func (l *ledger) waitVersion(v int, d time.Duration) (time.Time, bool) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		t, ok := l.first[v]
		l.mu.Unlock()
		if ok {
			return t, true
		}
		select {
		case <-l.changed:
		case <-deadline.C:
			return time.Time{}, false
		}
	}
}

func (l *ledger) version() int { return int(l.newest.Load()) }
func (l *ledger) count() int64 { return l.handled.Load() }
func (l *ledger) totals() (lost, doubled, handled int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost, l.doubled, l.handled.Load()
}
