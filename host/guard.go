package host

import (
	"sync"
	"sync/atomic"
	"time"
)

// The guard enforces ScriptLimits.BusyBudget and MemoryLimit. gopher-lua
// has no hook per allocation or per instruction other than the context it
// polls before every instruction (LState.SetContext), so:
//
//   - a lane is a goroutine that runs Lua, one run at a time (a worker, an
//     outbound call, a timer loop, a one-shot file). Its runs get a context
//     (budgetCtx) whose Done, polled by the VM, marks the lane as executing
//     Lua; the bindings wait under a wrapper (waitCtx) whose Done marks it
//     as waiting, which every blocking binding calls as it starts to wait;
//   - one goroutine for the process (guardLoop) looks at every lane every
//     guardTick: it stops a run that has executed for longer than its busy
//     budget, and, when the heap is over a lane's memory limit, the runs
//     that are executing Lua at that moment (runs waiting in a binding are
//     left alone).
//
// A run is stopped by cancelling its context with a stopError: the VM
// raises the error at its next instruction, and the library functions
// that can run long look at the context as they work (bindings.LimitLibraries).
const guardTick = 10 * time.Millisecond

// lane is one goroutine's sequence of Lua runs, as the guard sees it. The
// owner calls begin and end around each run; the VM and the bindings mark
// it executing and waiting through the run's contexts.
type lane struct {
	limits  ScriptLimits
	run     atomic.Uint64 // (run number << 1) | 1 while a run is on
	waiting atomic.Bool   // the run is waiting in a binding
	since   atomic.Int64  // monoTime the run last began to execute Lua
	// stop cancels run number n, if it is still on, with cause. It is
	// called by the guard's goroutine.
	stop func(n uint64, cause error)
}

// begin marks the start of a run.
func (l *lane) begin() {
	l.since.Store(int64(monoNow()))
	l.waiting.Store(false)
	l.run.Store((l.run.Load()>>1+1)<<1 | 1)
}

// end marks the end of the run.
func (l *lane) end() { l.run.Store(l.run.Load() &^ 1) }

// on reports whether run number n is still on.
func (l *lane) on(n uint64) bool { return l.run.Load() == n<<1|1 }

// resume marks a waiting lane as executing Lua again.
func (l *lane) resume() {
	l.since.Store(int64(monoNow()))
	l.waiting.Store(false)
}

// wait marks the lane as waiting in a binding.
func (l *lane) wait() {
	if !l.waiting.Load() {
		l.waiting.Store(true)
	}
}

// executingFor returns the run number and for how long it has been
// executing Lua without waiting; ok is false when the lane runs nothing
// or waits.
func (l *lane) executingFor(now monoTime) (n uint64, d time.Duration, ok bool) {
	r := l.run.Load()
	if r&1 == 0 || l.waiting.Load() {
		return 0, 0, false
	}
	return r >> 1, time.Duration(now - monoTime(l.since.Load())), true
}

// checkBusy stops the lane's run when it has executed Lua past its busy
// budget.
func (l *lane) checkBusy(now monoTime) {
	n, d, ok := l.executingFor(now)
	if b := l.limits.BusyBudget; ok && b > 0 && d > b {
		l.stop(n, busyError(d, b))
	}
}

// memVictimStretch: when the heap is over the limit, the runs that have
// been executing Lua for at least this long are stopped (or, if none has,
// the one executing for the longest): a runaway that allocates runs for
// long stretches, while well-behaved runs caught between two waits are
// spared.
const memVictimStretch = 50 * time.Millisecond

// memVictims appends to dst the runs to stop for memory: among the lanes
// executing Lua whose limit the heap is over, those executing for at
// least memVictimStretch, else the longest.
func memVictims(dst []memVictim, lanes []*lane, now monoTime, heap heapReading) []memVictim {
	var longest memVictim
	for _, l := range lanes {
		n, d, ok := l.executingFor(now)
		if !ok || l.limits.MemoryLimit <= 0 || !heap.over(l.limits.MemoryLimit) {
			continue
		}
		v := memVictim{l, n, d}
		if d >= memVictimStretch {
			dst = append(dst, v)
		} else if longest.lane == nil || d > longest.d {
			longest = v
		}
	}
	if len(dst) == 0 && longest.lane != nil {
		dst = append(dst, longest)
	}
	return dst
}

// memVictim is a run to stop for memory.
type memVictim struct {
	lane *lane
	n    uint64
	d    time.Duration
}

// runGuard is the set of lanes and the goroutine that watches them; it
// runs while there is a lane.
type runGuard struct {
	mu      sync.Mutex
	lanes   map[*lane]struct{}
	running bool
	heap    heapWatch
}

// guard watches every lane of the process.
var guard = &runGuard{lanes: map[*lane]struct{}{}}

// add starts watching l.
func (g *runGuard) add(l *lane) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.lanes[l] = struct{}{}
	if !g.running {
		g.running = true
		go g.loop()
	}
}

// remove stops watching l.
func (g *runGuard) remove(l *lane) {
	g.mu.Lock()
	delete(g.lanes, l)
	g.mu.Unlock()
}

// loop checks every lane every guardTick until there is none.
func (g *runGuard) loop() {
	t := time.NewTicker(guardTick)
	defer t.Stop()
	var lanes []*lane
	var victims []memVictim
	for range t.C {
		if lanes = g.snapshot(lanes[:0]); lanes == nil {
			return
		}
		now := monoNow()
		for _, l := range lanes {
			l.checkBusy(now)
		}
		heap := g.heap.read()
		victims = memVictims(victims[:0], lanes, now, heap)
		for _, v := range victims {
			v.lane.stop(v.n, memoryError(heap, v.lane.limits.MemoryLimit))
			g.heap.stopped(v.lane, v.n)
		}
		clear(lanes)
		clear(victims)
	}
}

// snapshot appends the lanes to dst; nil (and the loop ends) when there
// is none.
func (g *runGuard) snapshot(dst []*lane) []*lane {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.lanes) == 0 {
		g.running = false
		return nil
	}
	for l := range g.lanes {
		dst = append(dst, l)
	}
	return dst
}
