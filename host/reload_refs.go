package host

// The generation's refs word packs the live-call count with two flags, so
// that Acquire, Release and Retire agree without a lock on who runs onIdle.
const (
	refRetired = int64(1) << 62
	refIdle    = int64(1) << 61
	refCount   = refIdle - 1
)

// Acquire pins the generation for a live call; Release unpins it. A call
// that must not start on a generation already retired and idle uses
// TryAcquire instead.
func (g *Generation) Acquire() { g.refs.Add(1) }

// TryAcquire pins the generation unless it is retired and idle (its pools
// closed, its onIdle run); it then returns false and the caller should take
// the current generation again.
func (g *Generation) TryAcquire() bool {
	for {
		s := g.refs.Load()
		if s&refIdle != 0 {
			return false
		}
		if g.refs.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// Release undoes one Acquire. The Release that leaves a retired generation
// with no live call runs its onIdle. It panics on more Releases than
// Acquires.
func (g *Generation) Release() {
	s := g.refs.Add(-1)
	if s&refCount == refCount {
		panic("host: Generation.Release without Acquire")
	}
	if s == refRetired {
		g.goIdle()
	}
}

// Retire marks the generation as replaced. Once no call holds it (now, or
// at the last Release) its state pools are closed and onIdle (may be nil)
// runs, exactly once, on the goroutine that got there. Only the first
// Retire counts.
func (g *Generation) Retire(onIdle func()) {
	if !g.onIdle.CompareAndSwap(nil, &onIdle) {
		return
	}
	for {
		s := g.refs.Load()
		if g.refs.CompareAndSwap(s, s|refRetired) {
			break
		}
	}
	g.goIdle()
}

// goIdle runs the idle work if the generation is retired with no calls and
// nobody ran it yet.
func (g *Generation) goIdle() {
	if !g.refs.CompareAndSwap(refRetired, refRetired|refIdle) {
		return
	}
	g.closePools()
	if fn := *g.onIdle.Load(); fn != nil {
		fn()
	}
}

// Refs returns the number of live calls holding the generation.
func (g *Generation) Refs() int { return int(g.refs.Load() & refCount) }

// Retired reports whether Retire was called.
func (g *Generation) Retired() bool { return g.refs.Load()&refRetired != 0 }

// Idle reports whether the generation is retired and its last call ended.
func (g *Generation) Idle() bool { return g.refs.Load()&refIdle != 0 }
