package host

import (
	"sync"
	"sync/atomic"
)

// queuedEventOverhead is what a waiting event costs beyond its wire size:
// the parsed copy's index, the item in a worker queue and the event
// struct (measured by BenchmarkQueuedEventHeap: about 300 B live heap per
// queued event over its wire text).
const queuedEventOverhead = 320

// scriptQueues caps, per script, the events dispatched to it and not yet
// handled, by count (Options.ScriptQueue) and by bytes
// (Options.ScriptQueueBytes), so that one slow script can neither fill the
// workers' queues for every other script nor hold more memory than its
// byte bound: past either cap its new events are dropped (and counted
// with reason "script_queue_full") while other scripts still get theirs.
// An event charges each script it is queued for its full cost, so the
// bound holds per script even when scripts share the event.
type scriptQueues struct {
	limit, byteLimit int64
	m                sync.Map // script name -> *scriptCount
}

// scriptCount is one script's waiting events and their cost in bytes.
type scriptCount struct {
	n, bytes atomic.Int64
}

// eventCost is the bytes an event of wire size size charges a queue.
func eventCost(size int) int64 { return int64(size) + queuedEventOverhead }

func (q *scriptQueues) counter(script string) *scriptCount {
	if c, ok := q.m.Load(script); ok {
		return c.(*scriptCount)
	}
	c, _ := q.m.LoadOrStore(script, new(scriptCount))
	return c.(*scriptCount)
}

// admit counts an event of cost bytes for the targets whose script is
// under both caps and returns them, with those over a cap. ts is shared
// and never modified: a new slice is made only when something is dropped.
func (q *scriptQueues) admit(ts []target, cost int64) (kept, over []target) {
	for i, t := range ts {
		if q.take(q.counter(t.script), cost) {
			if over != nil {
				kept = append(kept, t)
			}
			continue
		}
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

// take charges c one event of cost bytes if both caps allow it.
func (q *scriptQueues) take(c *scriptCount, cost int64) bool {
	if c.n.Add(1) > q.limit {
		c.n.Add(-1)
		return false
	}
	if c.bytes.Add(cost) > q.byteLimit {
		c.bytes.Add(-cost)
		c.n.Add(-1)
		return false
	}
	return true
}

// done uncounts one handled (or dropped) event of script of cost bytes.
func (q *scriptQueues) done(script string, cost int64) {
	c := q.counter(script)
	c.n.Add(-1)
	c.bytes.Add(-cost)
}

// release uncounts every target of an item that was not queued after all.
func (q *scriptQueues) release(ts []target, cost int64) {
	for _, t := range ts {
		q.done(t.script, cost)
	}
}

// queued returns how many events wait for script.
func (q *scriptQueues) queued(script string) int64 { return q.counter(script).n.Load() }

// queuedBytes returns what the events waiting for script cost.
func (q *scriptQueues) queuedBytes(script string) int64 { return q.counter(script).bytes.Load() }
