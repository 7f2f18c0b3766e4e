package host

import (
	"sync"
	"sync/atomic"
)

// scriptQueues caps, per script, the events dispatched to it and not yet
// handled, so one slow script cannot fill the workers' queues for every
// other script: past the cap its new events are dropped (and counted with
// reason "script_queue_full") while other scripts still get theirs.
type scriptQueues struct {
	limit int64
	m     sync.Map // script name -> *atomic.Int64
}

func (q *scriptQueues) counter(script string) *atomic.Int64 {
	if c, ok := q.m.Load(script); ok {
		return c.(*atomic.Int64)
	}
	c, _ := q.m.LoadOrStore(script, new(atomic.Int64))
	return c.(*atomic.Int64)
}

// admit counts the targets whose script is under the cap and returns them,
// with those over it. ts is shared and never modified: a new slice is made
// only when something is dropped.
func (q *scriptQueues) admit(ts []target) (kept, over []target) {
	for i, t := range ts {
		c := q.counter(t.script)
		if c.Add(1) <= q.limit {
			if over != nil {
				kept = append(kept, t)
			}
			continue
		}
		c.Add(-1)
		if over == nil {
			kept = append(make([]target, 0, len(ts)), ts[:i]...)
		}
		over = append(over, t)
	}
	if over == nil {
		return ts, nil
	}
	return kept, over
}

// done uncounts one handled (or dropped) event of script.
func (q *scriptQueues) done(script string) { q.counter(script).Add(-1) }

// release uncounts every target of an item that was not queued after all.
func (q *scriptQueues) release(ts []target) {
	for _, t := range ts {
		q.done(t.script)
	}
}

// queued returns how many events wait for script.
func (q *scriptQueues) queued(script string) int64 { return q.counter(script).Load() }
