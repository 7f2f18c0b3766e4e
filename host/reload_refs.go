package host

// The generation's refs word packs the live-call count with two flags, so
// that acquire, release and retire agree without a lock on who runs onIdle.
const (
	refRetired = int64(1) << 62
	refIdle    = int64(1) << 61
	refCount   = refIdle - 1
)

// acquire pins the generation for a live call; release unpins it. A call
// that must not start on a generation already retired and idle uses
// tryAcquire instead.
func (g *Generation) acquire() { g.refs.Add(1) }

// tryAcquire pins the generation unless it is retired and idle (its pools
// closed, its onIdle run); it then returns false and the caller should take
// the current generation again.
func (g *Generation) tryAcquire() bool {
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

// release undoes one acquire. The release that leaves a retired generation
// with no live call runs its onIdle. It panics on more releases than
// acquires.
func (g *Generation) release() {
	s := g.refs.Add(-1)
	if s&refCount == refCount {
		panic("host: Generation.release without acquire")
	}
	if s == refRetired {
		g.goIdle()
	}
}

// retire marks the generation as replaced. Once no call holds it (now, or
// at the last release) its state pools are closed and onIdle (may be nil)
// runs, exactly once, on the goroutine that got there. Only the first
// retire counts.
func (g *Generation) retire(onIdle func()) {
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

// liveCalls returns the number of live calls holding the generation.
func (g *Generation) liveCalls() int { return int(g.refs.Load() & refCount) }

// retired reports whether retire was called.
func (g *Generation) retired() bool { return g.refs.Load()&refRetired != 0 }

// isIdle reports whether the generation is retired and its last call ended.
func (g *Generation) isIdle() bool { return g.refs.Load()&refIdle != 0 }
