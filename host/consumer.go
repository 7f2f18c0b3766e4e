package host

import (
	"time"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// stateKey names a worker's state: one per (generation, script), and per
// call with Options.StatePerCall.
type stateKey struct {
	gen    uint64
	script string
	call   string // StatePerCall: the call uuid, else the event name
}

// worker runs consumer handlers for its shard of calls. It owns its Lua
// states: they are created, called and closed on its goroutine only.
type worker struct {
	h      *Host
	d      *dispatcher
	idx    int
	q      *workQueue
	states map[stateKey]*luaState
	newest uint64    // newest generation seen
	dog    *watchdog // bounds each call by HandlerBudget
	lane   *lane     // bounds each call by the ScriptLimits
}

func newWorker(h *Host, d *dispatcher, idx, q int) *worker {
	w := &worker{h: h, d: d, idx: idx, q: newWorkQueue(q, &d.win), states: make(map[stateKey]*luaState)}
	w.lane, w.dog = newWorkerLane(h.opts.Limits, func(l *lane) *watchdog {
		return newWatchdog(h.life, h.opts.HandlerBudget, l)
	})
	return w
}

// run handles items until the queue is closed, then closes its states.
func (w *worker) run() {
	defer guard.remove(w.lane)
	defer w.dog.stop()
	defer w.closeAll()
	for {
		it, ok := w.q.pop()
		if !ok {
			return
		}
		w.handle(it)
	}
}

func (w *worker) handle(it item) {
	if it.cb != nil {
		w.runPosted(it)
		return
	}
	w.observeGen(it.gen)
	if it.ev == nil {
		return // retire marker
	}
	if w.h.life.Err() != nil {
		w.h.dropOnShutdown(it)
		return
	}
	now := monoNow()
	w.h.obs.DispatchLag(time.Duration(now - it.at))
	for _, t := range it.targets {
		now = w.runHandler(it, t, now)
		w.h.squeue.done(t.script, int64(it.cost))
	}
}

// observeGen closes the states of generations older than g once g is seen.
func (w *worker) observeGen(g *genView) {
	if g.id <= w.newest {
		return
	}
	w.newest = g.id
	for k, st := range w.states {
		if k.gen < g.id {
			st.close()
			delete(w.states, k)
		}
	}
}

// runHandler calls events[t.key] of t.script with the event object. now
// is the clock read before; it returns the clock after the call.
func (w *worker) runHandler(it item, t target, now monoTime) monoTime {
	st, err := w.state(it.gen, t.script, w.callKey(it))
	if err != nil {
		w.h.obs.HandlerDone(t.script, t.key, 0, err, false)
		logFailure(w.h.log, "host: cannot start script", t.script, t.key, err)
		return monoNow()
	}
	fn := handler(st.tbl, t.key)
	if fn == nil {
		return now
	}
	sc := bindings.NewScope(it.node, it.uuid, w.h.commander(it.node))
	res := w.call(st, t.key, sc, now, fn, st.pushEvent(it))
	st.forgetEvent()
	if res.killed {
		w.discard(st)
	}
	return now + monoTime(res.dur)
}

// call runs fn(args...) in st for sc, bounded by the worker's watchdog (the
// handler budget) on the worker's lane; start is the clock read before.
func (w *worker) call(st *luaState, handler string, sc bindings.Scope, start monoTime, fn lua.LValue, args ...lua.LValue) callResult {
	ctx := w.dog.beginAt(start)
	w.lane.begin()
	res := w.h.run(ctx, st, handler, sc, start, fn, args...)
	w.lane.end()
	w.dog.end()
	return res
}

// callKey is the stateKey.call of an event: "" unless StatePerCall.
func (w *worker) callKey(it item) string {
	if !w.h.opts.StatePerCall {
		return ""
	}
	if it.uuid != "" {
		return it.uuid
	}
	return it.name
}

// state returns the worker's state for (g, script, call), creating it lazily.
func (w *worker) state(g *genView, script, call string) (*luaState, error) {
	k := stateKey{g.id, script, call}
	if st := w.states[k]; st != nil {
		return st, nil
	}
	st, err := w.h.openState(g, script, w.loopFor)
	if err != nil {
		return nil, err
	}
	st.callKey = call
	w.states[k] = st
	return st, nil
}

// discard closes a state (after a budget kill); a fresh one is made next time.
func (w *worker) discard(st *luaState) {
	k := stateKey{st.g.ID, st.script, st.callKey}
	if w.states[k] == st {
		delete(w.states, k)
	}
	st.close()
}

func (w *worker) closeAll() {
	for k, st := range w.states {
		st.close()
		delete(w.states, k)
	}
}

// runPosted runs a callback posted by a binding (timer.after...) in the
// state it was posted for, unless that state is gone.
func (w *worker) runPosted(it item) {
	cb := it.cb
	if cb.state.closed {
		return
	}
	res := w.call(cb.state, callbackHandler, bindings.Scope{}, monoNow(), cb.state.L.NewFunction(func(L *lua.LState) int {
		cb.fn(L)
		return 0
	}))
	if res.killed {
		w.discard(cb.state)
	}
}

// loopFor returns the Loop of a worker state: callbacks are queued to this
// worker and run on its goroutine.
func (w *worker) loopFor(st *luaState) bindings.Loop {
	return workerLoop{w: w, st: st}
}

// workerLoop implements bindings.Loop for a worker's state.
type workerLoop struct {
	w  *worker
	st *luaState
}

// Post queues fn; false only when the worker is stopped (a callback is
// never refused for a full queue).
func (l workerLoop) Post(fn func(L *lua.LState)) bool {
	return l.w.d.enqueue(l.w.idx, item{cb: &posted{fn: fn, state: l.st}}) == ""
}
