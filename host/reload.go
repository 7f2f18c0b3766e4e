package host

import (
	"errors"
	"sync"
	"sync/atomic"
)

// Reloader holds the current generation and replaces it, Caddy style: a
// new generation is built and validated completely, then swapped in with
// one atomic store; the old one is retired and lives on while calls hold
// it. A failed build leaves the current generation in place.
type Reloader struct {
	// Loader builds the generations.
	Loader *Loader
	// OnSwap, when set, is called after every swap, with the reload lock
	// held (old is nil on the first load). Set it before the first Reload.
	OnSwap func(old, new *Generation)
	// OnIdle, when set, is called once a retired generation has no live
	// call left (its pools are closed by then). Set it before the first
	// Reload.
	OnIdle func(g *Generation)

	mu  sync.Mutex
	cur atomic.Pointer[Generation]
}

// NewReloader returns a Reloader for l with no generation yet; call Reload
// to load the first.
func NewReloader(l *Loader) *Reloader { return &Reloader{Loader: l} }

// Current returns the running generation, or nil before the first
// successful Reload. It never blocks.
func (r *Reloader) Current() *Generation { return r.cur.Load() }

// Reload builds a generation from the scripts directory and swaps it in.
// It returns the generation running afterwards and whether it changed.
// Unchanged content gives (current, false, nil); a failed build gives
// (current, false, err) where err is a *LoadError, or matches ErrKnownBad
// when the content is the one that failed last time. Concurrent Reloads
// run one after the other.
func (r *Reloader) Reload() (gen *Generation, changed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.cur.Load()
	gen, err = r.Loader.Build(old)
	if errors.Is(err, ErrUnchanged) {
		return old, false, nil
	}
	if err != nil {
		return old, false, err
	}
	r.cur.Store(gen)
	if r.OnSwap != nil {
		r.OnSwap(old, gen)
	}
	if old != nil {
		old.Retire(r.idleFunc(old))
	}
	return gen, true, nil
}

func (r *Reloader) idleFunc(g *Generation) func() {
	if r.OnIdle == nil {
		return nil
	}
	return func() { r.OnIdle(g) }
}
