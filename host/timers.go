package host

import (
	"context"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// runInits runs the init function of every script of g once, each in a
// fresh state under the handler budget, before g receives anything. A
// failing init is logged and counted; the generation still runs.
func (h *Host) runInits(g *genView) {
	for _, s := range g.scripts {
		if s.Init {
			h.runInit(g, s.Name)
		}
	}
}

func (h *Host) runInit(g *genView, script string) {
	st, err := h.openState(g, script, nil)
	if err != nil {
		h.obs.HandlerDone(script, "init", 0, err, false)
		logFailure(h.log, "host: cannot start script", script, "init", err)
		return
	}
	defer st.close()
	if fn := field(st.tbl, "init"); fn != nil {
		ctx, cancel := withBudget(h.life, h.opts.HandlerBudget)
		defer cancel()
		h.run(ctx, st, "init", h.defaultScope(), monoNow(), fn)
	}
}

// timerSet is the timer goroutines of one generation.
type timerSet struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// replaceTimers stops the running timers and starts g's (unless the host
// is shutting down).
func (h *Host) replaceTimers(g *genView) {
	h.timersMu.Lock()
	defer h.timersMu.Unlock()
	h.timers.stop()
	h.timers = nil
	if !h.timersOff {
		h.timers = h.startTimers(g)
	}
}

// startTimers starts one goroutine, with its own state, per script of g
// that declares timers.
func (h *Host) startTimers(g *genView) *timerSet {
	ctx, cancel := context.WithCancel(h.life)
	ts := &timerSet{cancel: cancel}
	for _, s := range g.scripts {
		if len(s.Timers) > 0 {
			ts.wg.Add(1)
			go func() {
				defer ts.wg.Done()
				h.runTimers(ctx, g, s)
			}()
		}
	}
	return ts
}

// stop ends the timer goroutines and waits for them (nil-safe).
func (ts *timerSet) stop() {
	if ts == nil {
		return
	}
	ts.cancel()
	ts.wg.Wait()
}

// stopTimers stops the current timers for good.
func (h *Host) stopTimers() {
	h.timersMu.Lock()
	defer h.timersMu.Unlock()
	h.timers.stop()
	h.timers, h.timersOff = nil, true
}

// timerLoop owns one script's timer state: it fires the due timers and
// runs the callbacks bindings post to it, all on its goroutine.
type timerLoop struct {
	h     *Host
	g     *genView
	name  string
	st    *luaState
	specs []TimerSpec
	next  []time.Time
}

// runTimers runs s's timers until ctx ends.
func (h *Host) runTimers(ctx context.Context, g *genView, s *Script) {
	tl := &timerLoop{h: h, g: g, name: s.Name, specs: s.Timers}
	if !tl.open() {
		return
	}
	defer func() { tl.st.close() }()
	tl.loop(ctx)
}

// open (re)creates the timer state; false when the script cannot start.
func (tl *timerLoop) open() bool {
	st, err := tl.h.openState(tl.g, tl.name, ownQueue)
	if err != nil {
		logFailure(tl.h.log, "host: cannot start timers", tl.name, "timers", err)
		return false
	}
	tl.st = st
	return true
}

// loop waits for the earliest due timer or a posted callback.
func (tl *timerLoop) loop(ctx context.Context) {
	now := tl.h.opts.Clock.Now()
	for _, sp := range tl.specs {
		tl.next = append(tl.next, now.Add(sp.Every))
	}
	for {
		i := tl.earliest()
		select {
		case <-ctx.Done():
			return
		case <-tl.h.opts.Clock.After(tl.next[i].Sub(tl.h.opts.Clock.Now())):
			if !tl.fire(ctx, i) {
				return
			}
		case fn := <-tl.st.posts.Pending():
			if !tl.runPosted(ctx, fn) {
				return
			}
		}
	}
}

func (tl *timerLoop) earliest() int {
	i := 0
	for j := range tl.next {
		if tl.next[j].Before(tl.next[i]) {
			i = j
		}
	}
	return i
}

// fire runs timer i and schedules its next run.
func (tl *timerLoop) fire(ctx context.Context, i int) bool {
	tl.next[i] = tl.next[i].Add(tl.specs[i].Every)
	if now := tl.h.opts.Clock.Now(); tl.next[i].Before(now) {
		tl.next[i] = now.Add(tl.specs[i].Every) // skip missed runs
	}
	fn := timerFn(tl.st.tbl, tl.specs[i].Name)
	if fn == nil || (tl.specs[i].Leader && !tl.h.leader()) { // a fleet's singleton stands by
		return true
	}
	return tl.run(ctx, "timer:"+tl.specs[i].Name, fn)
}

// run calls fn under the handler budget, for the default node (looked
// up at each run: the node list may have changed). A killed state is
// replaced by a fresh one (its Runtime closed: posted callbacks of the old
// one are dropped); when that fails the timers stop.
func (tl *timerLoop) run(ctx context.Context, name string, fn lua.LValue) bool {
	bctx, cancel := withBudget(ctx, tl.h.opts.HandlerBudget)
	defer cancel()
	if res := tl.h.run(bctx, tl.st, name, tl.h.defaultScope(), monoNow(), fn); !res.killed || ctx.Err() != nil {
		return true
	}
	tl.st.close()
	return tl.open()
}

func (tl *timerLoop) runPosted(ctx context.Context, post func(*lua.LState)) bool {
	return tl.run(ctx, callbackHandler, tl.st.L.NewFunction(func(L *lua.LState) int {
		post(L)
		return 0
	}))
}

// timerFn returns timers[name].fn of a script table.
func timerFn(tbl *lua.LTable, name string) *lua.LFunction {
	timers, ok := tbl.RawGetString("timers").(*lua.LTable)
	if !ok {
		return nil
	}
	t, ok := timers.RawGetString(name).(*lua.LTable)
	if !ok {
		return nil
	}
	return field(t, "fn")
}
