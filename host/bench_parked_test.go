package host_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	parkInFlight  = 128 // dials in flight in the simulator process
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
// waitForDtmf, and reports the resident memory of the host process. The
// simulator runs in a child process (this test binary re-run as
// TestParkedSimHelper): each side has its own descriptors (10,000 calls
// are 20,000 sockets, over this machine's hard limit of 20,000 for one
// process) and its own memory, reported as sim-rss-MiB. The work does not
// depend on b.N: run with -benchtime=1x.
func BenchmarkParkedCalls(b *testing.B) {
	n := parkedCount()
	raiseFDLimit(b, n+1024)
	for range b.N {
		benchParkHost(b, n)
	}
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
	rig.mod.mark = func(*lua.LState) { parked.Add(1) }
	addr := serveOutbound(b, rig.h, host.ListenerOptions{Name: "park", Script: "park"})
	base := settledMemory()
	start := time.Now()
	sim := startSimProcess(b, addr, n)
	waitHandled(b, parked.Load, n, rig.check)
	took := time.Since(start)
	if live := rig.h.Status().Scripts[0].LiveCalls; live != n {
		b.Fatalf("%d live calls, want %d", live, n)
	}
	simRSS := sim.rss()
	b.Logf("simulator process VmRSS %d MiB", simRSS>>20)
	b.ReportMetric(float64(simRSS)/(1<<20), "sim-rss-MiB")
	reportParked(b, n, base, took)
	b.StopTimer()
}

// simProcess is the child process that dials the parked calls.
type simProcess struct {
	in  io.WriteCloser
	out *bufio.Reader
}

// startSimProcess re-runs this test binary as TestParkedSimHelper, which
// dials n calls to addr and holds them until its stdin closes.
func startSimProcess(b *testing.B, addr string, n int) *simProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestParkedSimHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BENCH_SIM_ADDR="+addr, "BENCH_PARKED="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &simProcess{in: in, out: bufio.NewReader(out)}
	b.Cleanup(func() {
		in.Close() // the helper hangs its calls up and exits
		_, _ = io.Copy(io.Discard, p.out)
		if err := cmd.Wait(); err != nil {
			b.Error("simulator process:", err)
		}
	})
	return p
}

// rss asks the helper for its settled VmRSS (-1 when it cannot tell).
func (p *simProcess) rss() int64 {
	if _, err := io.WriteString(p.in, "rss\n"); err != nil {
		return -1
	}
	for {
		line, err := p.out.ReadString('\n')
		if err != nil {
			return -1
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "rss "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
}

// TestParkedSimHelper is the simulator side of BenchmarkParkedCalls; it
// only runs in the child process the benchmark starts.
func TestParkedSimHelper(t *testing.T) {
	addr := os.Getenv("BENCH_SIM_ADDR")
	if addr == "" {
		t.Skip("simulator helper of BenchmarkParkedCalls")
	}
	sim := esltest.New(t, esltest.Options{})
	n := parkedCount()
	sem := make(chan struct{}, parkInFlight)
	errc := make(chan error, n)
	for range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), parkWait)
			defer cancel()
			_, err := sim.Dial(ctx, addr, sim.NewCall(esltest.CallOptions{}), esltest.DialOptions{Async: true, Full: true})
			errc <- err
		}()
	}
	for range n {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "rss" {
			fmt.Printf("rss %d\n", settledMemory().rss)
		}
	}
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
	b.Logf("%d calls parked in %v: VmRSS %d MiB (baseline %d MiB), heap in use %d MiB, stacks %d MiB, %d goroutines",
		n, took.Round(time.Millisecond), now.rss/mib, base.rss/mib, now.heap/mib, now.stack/mib, now.goroutine)
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
