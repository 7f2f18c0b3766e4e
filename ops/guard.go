package ops

import (
	"sync"
	"sync/atomic"
)

// DefaultMaxLabelValues is how many distinct values one name label (node,
// listener, script, handler) may take before new ones become "other".
const DefaultMaxLabelValues = 1000

// guard bounds the distinct values of one label: names come from the
// configuration and the scripts, so the cap only matters if something
// unexpected (a runaway reload loop generating names) feeds it.
type guard struct {
	max  int64
	seen sync.Map // string -> struct{}
	n    atomic.Int64
	mu   sync.Mutex
}

func newGuard(max int) *guard { return &guard{max: int64(max)} }

// label returns v while the cap allows, else "other".
func (g *guard) label(v string) string {
	if _, ok := g.seen.Load(v); ok {
		return v
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.seen.Load(v); ok {
		return v
	}
	if g.n.Load() >= g.max {
		return otherLabel
	}
	g.seen.Store(v, struct{}{})
	g.n.Add(1)
	return v
}
