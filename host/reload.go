package host

import (
	"errors"
	"sync"
	"sync/atomic"
)

// reloader holds the current generation and replaces it, Caddy style: a
// new generation is built and validated completely, then swapped in with
// one atomic store; the old one is retired and lives on while calls hold
// it. A failed build leaves the current generation in place.
type reloader struct {
	// loader builds the generations.
	loader *Loader
	// onSwap, when set, is called after every swap, with the reload lock
	// held (old is nil on the first load). Set it before the first reload.
	onSwap func(old, new *Generation)
	// onIdle, when set, is called once a retired generation has no live
	// call left (its pools are closed by then). Set it before the first
	// Reload.
	onIdle func(g *Generation)

	mu  sync.Mutex
	cur atomic.Pointer[Generation]
}

// newReloader returns a reloader for l with no generation yet; call reload
// to load the first.
func newReloader(l *Loader) *reloader { return &reloader{loader: l} }

// current returns the running generation, or nil before the first
// successful reload. It never blocks.
func (r *reloader) current() *Generation { return r.cur.Load() }

// reload builds a generation from the scripts directory and swaps it in.
// It returns the generation running afterwards and whether it changed.
// Unchanged content gives (current, false, nil); a failed build gives
// (current, false, err) where err is a *LoadError, or matches ErrKnownBad
// when the content is the one that failed last time. Concurrent reloads
// run one after the other.
func (r *reloader) reload() (gen *Generation, changed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.cur.Load()
	gen, err = r.loader.Build(old)
	if errors.Is(err, ErrUnchanged) {
		return old, false, nil
	}
	if err != nil {
		return old, false, err
	}
	r.cur.Store(gen)
	if r.onSwap != nil {
		r.onSwap(old, gen)
	}
	if old != nil {
		old.retire(r.idleFunc(old))
	}
	return gen, true, nil
}

func (r *reloader) idleFunc(g *Generation) func() {
	if r.onIdle == nil {
		return nil
	}
	return func() { r.onIdle(g) }
}
