package host_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// Consumer benchmark parameters.
const (
	benchCalls = 256 // calls interleaved in the block (512 legs)
	// benchWindowBytes is how far the source may run ahead of the handlers
	// (BENCH_WINDOW overrides, in frames): 4 MiB, about what the kernel
	// itself buffers for a TCP reader (net.ipv4.tcp_rmem's default maximum
	// is 6 MiB), so the handlers work on a backlog a consumer that keeps up
	// would have. A backlog of tens of MB measures cache misses instead:
	// every event is evicted before its handler reads it.
	benchWindowBytes = 4 << 20
	stallTimeout     = 10 * time.Second
	// hostEvents is the local events a consumer's "*" handler gets besides
	// the stream's: the eslscript::node_up AddNode raises.
	hostEvents = 1
)

// ceilingRate is the events/s of the last "read" run, for the ratio.
var ceilingRate atomic.Uint64

// BenchmarkConsumer (target 1) feeds the same loopback byte stream to
// three readers; one op is one event:
//   - read: the ceiling, the bytes merely read off the socket;
//   - esl: esl.Dial + Subscribe, three headers read in Go, order checked;
//   - lua: esl.Dial -> host.AddNode -> a Lua "*" handler that reads
//     Event-Name, Unique-ID and variable_bench_seq and checks per-leg order.
//
// Run read first (as -bench=Consumer does) to get the x-ceiling ratio.
func BenchmarkConsumer(b *testing.B) {
	s := loadBenchStream(b, benchCalls)
	b.Run("read", func(b *testing.B) { benchRawRead(b, s) })
	b.Run("esl", func(b *testing.B) { benchESLConsumer(b, s) })
	b.Run("lua", func(b *testing.B) { benchLuaConsumer(b, s) })
}

// blastBytes is the size of the first total frames of s, cycling.
func blastBytes(s *benchStream, total int) int {
	n := s.events()
	return total/n*len(s.data) + s.offs[total%n]
}

// benchRawRead is the ceiling: authenticate by hand, then read the stream
// into a 64 KiB buffer, counting bytes, nothing else.
func benchRawRead(b *testing.B, s *benchStream) {
	fs := startFakeFS(b, blastPlan{s: s, total: b.N})
	nc, err := net.Dial("tcp", fs.addr())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	want := len(fsGreeting) + len(fsAuthOK) + len(fsOK) + blastBytes(s, b.N)
	buf := make([]byte, 64<<10)
	m := startEventMeter(b, s)
	if _, err := nc.Write([]byte("auth ClueCon\n\nevent plain ALL\n\n")); err != nil {
		b.Fatal(err)
	}
	for got := 0; got < want; {
		n, err := nc.Read(buf)
		got += n
		if err != nil && got < want {
			b.Fatalf("read %d of %d bytes: %v", got, want, err)
		}
	}
	ceilingRate.Store(uint64(m.stop(b)))
}

// benchESLConsumer reads the stream through esl.Client and a Subscription
// and checks each leg's counter in Go: the bare esl figure on this stream.
func benchESLConsumer(b *testing.B, s *benchStream) {
	var handled atomic.Int64
	fs := startFakeFS(b, blastPlan{s: s, total: b.N, window: benchWindowSize(s), credit: handled.Load})
	c := dialFakeFS(b, fs)
	sub := c.Subscribe(esl.SubscribeOptions{})
	defer sub.Close()
	bad := make(chan string, 1)
	go func() {
		last := make(map[string]int)
		for ev := range sub.C {
			if why := checkOrder(last, ev.Get("Event-Name"), ev.Get("Unique-ID"), ev.Var(benchSeqVar)); why != "" {
				select {
				case bad <- why:
				default:
				}
			}
			handled.Add(1)
		}
	}()
	m := startEventMeter(b, s)
	if err := c.Events(b.Context(), "ALL"); err != nil {
		b.Fatal(err)
	}
	waitHandled(b, handled.Load, b.N, nil)
	m.stop(b)
	select {
	case why := <-bad:
		b.Fatal(why)
	default:
	}
	if d := sub.Dropped(); d != 0 {
		b.Fatalf("%d events dropped", d)
	}
}

// checkOrder is the Go twin of the Lua handler's order check.
func checkOrder(last map[string]int, name, id, seq string) string {
	n, err := strconv.Atoi(seq)
	if name == "" || id == "" || err != nil {
		return fmt.Sprintf("event %q %q has no counter %q", name, id, seq)
	}
	if n != 1 && n != last[id]+1 {
		return fmt.Sprintf("leg %s: event %d after %d", id, n, last[id])
	}
	last[id] = n
	return ""
}

// consumerScript is the Lua handler of the lua benchmark. Each worker has
// its own state, and one leg's events always go to the same worker, so a
// per-state table can check the order. (A leg's table entry is kept: real
// FreeSWITCH sends a CHANNEL_STATE CS_DESTROY after CHANNEL_DESTROY; the
// block repeats, so a counter may restart at 1.) The "*" handler also gets
// the eslscript::node_up AddNode raises (hostEvents), which it skips.
const consumerScript = `local bench = require("bench")
local last = {}
return { events = { ["*"] = function(ev)
  if ev:get("Node-State") then return end -- the host's eslscript::node_up
  local name = ev:get("Event-Name")
  local id = ev:get("Unique-ID")
  local n = tonumber(ev:var("bench_seq"))
  if name == nil or id == nil or n == nil then
    bench.bad(tostring(name) .. " " .. tostring(id) .. ": no counter")
    return
  end
  local prev = last[id] or 0
  if n ~= 1 and n ~= prev + 1 then
    bench.bad(id .. ": event " .. n .. " after " .. prev)
  end
  last[id] = n
end }}
`

// benchLuaConsumer runs the whole host path.
func benchLuaConsumer(b *testing.B, s *benchStream) {
	rig := newConsumerRig(b, map[string]string{"consumer.lua": consumerScript})
	fs := startFakeFS(b, blastPlan{s: s, total: b.N, window: benchWindowSize(s), credit: rig.obs.handled.Load})
	c := dialFakeFS(b, fs)
	m := startEventMeter(b, s)
	if err := rig.h.AddNode(b.Context(), "fs", c); err != nil {
		b.Fatal(err)
	}
	waitHandled(b, rig.obs.handled.Load, b.N+hostEvents, rig.check)
	rate := m.stop(b)
	if ceil := ceilingRate.Load(); ceil > 0 {
		b.ReportMetric(rate/float64(ceil), "x-ceiling")
	}
	rig.verify(b, b.N+hostEvents)
}

// consumerRig is a host with the bench module and a counting observer.
type consumerRig struct {
	h   *host.Host
	obs *benchObs
	mod *benchModule
	dir string
}

// newConsumerRig writes files into a fresh scripts directory and starts a
// host on it; Shutdown runs when the benchmark ends.
func newConsumerRig(b testing.TB, files map[string]string) *consumerRig {
	b.Helper()
	rig := &consumerRig{obs: &benchObs{}, mod: &benchModule{}, dir: b.TempDir()}
	for name, src := range files {
		writeScript(b, rig.dir, name, src)
	}
	rig.h = startRigHost(b, rig, host.Options{Workers: benchWorkers()})
	return rig
}

// startRigHost starts a host on rig's directory with the bench module and
// rig's observer (other options from opts); Shutdown runs at cleanup.
func startRigHost(tb testing.TB, rig *consumerRig, opts host.Options) *host.Host {
	tb.Helper()
	reg := bindings.NewRegistry()
	if err := reg.Add(rig.mod.module()); err != nil {
		tb.Fatal(err)
	}
	opts.ScriptsDir, opts.Registry, opts.Observer = rig.dir, reg, rig.obs
	h, err := host.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = h.Shutdown(ctx)
	})
	return h
}

// benchWindowSize is the window in frames of s: benchWindowBytes, or
// BENCH_WINDOW frames when set (to study how the frames in flight, hence
// cache misses on event bytes, shape the rate).
func benchWindowSize(s *benchStream) int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_WINDOW")); err == nil && n > 0 {
		return n
	}
	return max(1, benchWindowBytes/s.avgFrame())
}

// benchWorkers is host.Options.Workers for the rig: BENCH_WORKERS, else 0
// (the default, GOMAXPROCS).
func benchWorkers() int {
	n, _ := strconv.Atoi(os.Getenv("BENCH_WORKERS"))
	return n
}

// check fails fast on a reported error.
func (r *consumerRig) check() string {
	if why := r.mod.firstBad(); why != "" {
		return "out of order: " + why
	}
	if n := r.obs.errors.Load(); n != 0 {
		return fmt.Sprintf("%d handler errors", n)
	}
	if n := r.obs.dropped.Load(); n != 0 {
		return fmt.Sprintf("%d events dropped", n)
	}
	return ""
}

// verify fails unless exactly want events were handled, in order, no
// error, nothing dropped.
func (r *consumerRig) verify(b *testing.B, want int) {
	b.Helper()
	if why := r.check(); why != "" {
		b.Fatal(why)
	}
	if got := r.obs.handled.Load(); got != int64(want) {
		b.Fatalf("handled %d events, want %d", got, want)
	}
}

// writeScript writes one script file.
func writeScript(tb testing.TB, dir, name, src string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// dialFakeFS connects an esl.Client to the fake FreeSWITCH.
func dialFakeFS(b testing.TB, fs *fakeFS) *esl.Client {
	b.Helper()
	c, err := esl.Dial(b.Context(), fs.addr(), esl.Options{Password: "ClueCon"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// waitHandled waits until count() reaches want, failing when it stalls
// for stallTimeout or check reports a problem.
func waitHandled(b testing.TB, count func() int64, want int, check func() string) {
	b.Helper()
	last, since := int64(-1), time.Now()
	for {
		n := count()
		if n >= int64(want) {
			return
		}
		if check != nil {
			if why := check(); why != "" {
				b.Fatal(why)
			}
		}
		if n != last {
			last, since = n, time.Now()
		} else if time.Since(since) > stallTimeout {
			b.Fatalf("stalled at %d of %d events", n, want)
		}
		time.Sleep(time.Millisecond)
	}
}

// eventMeter times a stream benchmark (one op = one event).
type eventMeter struct {
	start time.Time
	cpu   time.Duration // process CPU time at start
}

// startEventMeter resets the timer; bytes/s is the stream's.
func startEventMeter(b *testing.B, s *benchStream) *eventMeter {
	b.SetBytes(int64(s.avgFrame()))
	b.ResetTimer()
	return &eventMeter{start: time.Now(), cpu: processCPU()}
}

// stop stops the timer and reports (and returns) events/s, with the
// process CPU time per event (source, reader and consumer together: less
// sensitive than events/s to other load on a shared machine).
func (m *eventMeter) stop(b *testing.B) float64 {
	el := time.Since(m.start)
	cpu := processCPU() - m.cpu
	b.StopTimer()
	rate := float64(b.N) / el.Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/event")
	return rate
}

// benchObs counts handler runs and drops.
type benchObs struct {
	host.NopObserver
	handled atomic.Int64
	errors  atomic.Int64
	dropped atomic.Int64
	reloads atomic.Int64

	endMu sync.Mutex
	ends  map[string]int64 // SessionEnded causes
}

// SessionEnded implements host.Observer.
func (o *benchObs) SessionEnded(_, _, cause string) {
	o.endMu.Lock()
	defer o.endMu.Unlock()
	if o.ends == nil {
		o.ends = map[string]int64{}
	}
	o.ends[cause]++
}

// endedAll returns how many sessions ended.
func (o *benchObs) endedAll() int64 {
	o.endMu.Lock()
	defer o.endMu.Unlock()
	var n int64
	for _, v := range o.ends {
		n += v
	}
	return n
}

// ended returns how many sessions ended with cause.
func (o *benchObs) ended(cause string) int64 {
	o.endMu.Lock()
	defer o.endMu.Unlock()
	return o.ends[cause]
}

// HandlerDone implements host.Observer.
func (o *benchObs) HandlerDone(_, handler string, _ time.Duration, err error, _ bool) {
	if err != nil {
		o.errors.Add(1)
	}
	if handler != "init" && handler != "session" {
		o.handled.Add(1)
	}
}

// EventDropped implements host.Observer.
func (o *benchObs) EventDropped(string, string) { o.dropped.Add(1) }

// Reload implements host.Observer.
func (o *benchObs) Reload(ok bool, _ uint64) {
	if ok {
		o.reloads.Add(1)
	}
}

// benchModule is the "bench" Lua module: scripts report problems and
// marks to Go through it (the embedding API: a bindings.Module added to
// the Registry).
type benchModule struct {
	bad  atomic.Int64
	why  atomic.Pointer[string]
	mark func(L *lua.LState) // optional bench.mark(...) hook
}

func (m *benchModule) module() bindings.Module {
	return bindings.Module{Name: "bench", Open: func(L *lua.LState, _ *bindings.Runtime) *lua.LTable {
		return L.SetFuncs(L.CreateTable(0, 4), map[string]lua.LGFunction{
			"bad": func(L *lua.LState) int {
				why := L.CheckString(1)
				m.why.CompareAndSwap(nil, &why)
				m.bad.Add(1)
				return 0
			},
			"mark": func(L *lua.LState) int {
				if m.mark != nil {
					m.mark(L)
				}
				return 0
			},
		})
	}}
}

// firstBad returns the first problem reported, or "".
func (m *benchModule) firstBad() string {
	if p := m.why.Load(); p != nil {
		return fmt.Sprintf("%s (%d reports)", *p, m.bad.Load())
	}
	return ""
}
