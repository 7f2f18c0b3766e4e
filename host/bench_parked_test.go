package host_test

import (
	"bufio"
	"context"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// Parked-calls benchmark parameters.
const (
	defaultParked = 10000
	parkInFlight  = 128 // calls dialed but not yet parked
	parkWait      = 2 * time.Minute
)

// parkScript answers and waits ten minutes for a digit.
const parkScript = `local bench = require("bench")
return { session = function(s)
  s:answer()
  bench.mark()
  s:waitForDtmf(600000)
end }
`

// BenchmarkParkedCalls (target 2b) holds BENCH_PARKED (default 10000)
// outbound calls at once, each with a live script blocked in
// waitForDtmf, and reports the process's resident memory. Both sides run
// in this process; sim-only parks the same calls on a listener that just
// holds the sockets, so host ≈ host run - sim-only run. The work does not
// depend on b.N: run with -benchtime=1x.
func BenchmarkParkedCalls(b *testing.B) {
	n := parkedCount()
	raiseFDLimit(b, 2*n+1024)
	b.Run("host", func(b *testing.B) {
		for range b.N {
			benchParkHost(b, n)
		}
	})
	b.Run("sim-only", func(b *testing.B) {
		for range b.N {
			benchParkSimOnly(b, n)
		}
	})
}

func parkedCount() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_PARKED")); err == nil && n > 0 {
		return n
	}
	return defaultParked
}

// benchParkHost parks n calls on the host and reports memory.
func benchParkHost(b *testing.B, n int) {
	rig := newConsumerRig(b, map[string]string{"park.lua": parkScript})
	var parked atomic.Int64
	sem := make(chan struct{}, parkInFlight)
	rig.mod.mark = func(*lua.LState) {
		parked.Add(1)
		<-sem
	}
	sim := esltest.New(b, esltest.Options{})
	addr := serveOutbound(b, rig.h, host.ListenerOptions{Name: "park", Script: "park"})
	base := settledMemory()
	start := time.Now()
	for range n {
		sem <- struct{}{}
		dialParked(b, sim, addr)
	}
	waitHandled(b, parked.Load, n, rig.check)
	reportParked(b, n, base, time.Since(start))
	if live := rig.h.Status().Scripts[0].LiveCalls; live != n {
		b.Fatalf("%d live calls, want %d", live, n)
	}
	b.StopTimer()
}

// dialParked dials one call that the script will park.
func dialParked(b *testing.B, sim *esltest.Server, addr string) {
	ctx, cancel := context.WithTimeout(context.Background(), parkWait)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{})
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		b.Fatal(err)
	}
}

// benchParkSimOnly dials n simulated calls to a listener that accepts and
// holds the sockets without speaking: the simulator's own share.
func benchParkSimOnly(b *testing.B, n int) {
	sim := esltest.New(b, esltest.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Skip("no loopback:", err)
	}
	held := make(chan net.Conn, n)
	go func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			held <- nc
		}
	}()
	b.Cleanup(func() {
		l.Close()
		for range len(held) {
			(<-held).Close()
		}
	})
	base := settledMemory()
	start := time.Now()
	for range n {
		dialParked(b, sim, l.Addr().String())
	}
	waitHandled(b, func() int64 { return int64(len(held)) }, n, nil)
	reportParked(b, n, base, time.Since(start))
	b.StopTimer()
}

// memSnap is the process memory at one moment.
type memSnap struct {
	rss       int64 // VmRSS, bytes
	heap      uint64
	stack     uint64
	sys       uint64
	goroutine int
}

// settledMemory collects garbage and returns the memory in use.
func settledMemory() memSnap {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSnap{rss: vmRSS(), heap: ms.HeapInuse, stack: ms.StackInuse, sys: ms.Sys, goroutine: runtime.NumGoroutine()}
}

// reportParked reports total resident memory and the cost of one call.
func reportParked(b *testing.B, n int, base memSnap, took time.Duration) {
	now := settledMemory()
	const mib = 1 << 20
	b.ReportMetric(float64(now.rss)/mib, "rss-MiB")
	b.ReportMetric(float64(now.rss-base.rss)/float64(n)/1024, "rss-KiB/call")
	b.ReportMetric(float64(now.heap-base.heap)/float64(n)/1024, "heap-KiB/call")
	b.ReportMetric(float64(now.stack-base.stack)/float64(n)/1024, "stack-KiB/call")
	b.ReportMetric(float64(now.goroutine-base.goroutine)/float64(n), "goroutines/call")
	b.ReportMetric(float64(n)/took.Seconds(), "parked/s")
	writeHeapProfile(b)
	if now.rss > 1<<30 {
		b.Errorf("resident memory %d MiB with %d calls, over 1 GiB", now.rss/mib, n)
	}
}

// vmRSS reads VmRSS from /proc/self/status (0 when unavailable).
func vmRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// raiseFDLimit makes sure the process may open need descriptors (both
// sides of every call are in this process), raising the hard limit too
// when allowed.
func raiseFDLimit(b *testing.B, need int) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Cur >= uint64(need) {
		return
	}
	want := syscall.Rlimit{Cur: uint64(need), Max: max(lim.Max, uint64(need))}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		b.Skipf("need %d file descriptors, limit %d/%d: %v", need, lim.Cur, lim.Max, err)
	}
	b.Logf("raised RLIMIT_NOFILE from %d/%d to %d/%d", lim.Cur, lim.Max, want.Cur, want.Max)
}

// writeHeapProfile writes the live heap, with every call parked, to
// $BENCH_HEAPPROFILE.<sub-benchmark> when that variable is set.
func writeHeapProfile(b *testing.B) {
	path := os.Getenv("BENCH_HEAPPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path + "." + b.Name()[strings.LastIndexByte(b.Name(), '/')+1:])
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
