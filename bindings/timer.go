package bindings

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// ErrNoLoop is the runtime failure of timer functions (and of esl.bgapi
// with a callback) in a state that has no event loop.
var ErrNoLoop = errors.New("bindings: no event loop")

const (
	timerSetKey   = "eslscript.timers"
	timerTypeName = "eslscript.timer"
)

// The timer module:
//
//	timer.after(ms, fn) -> handle | nil, err
//	timer.every(ms, fn) -> handle | nil, err
//	handle:cancel() -> true if the timer was still active
//
// Callbacks run on the state's own goroutine (Runtime.Defer), never on a
// timer goroutine, under the scope of the run that started the timer. A
// callback that raises is reported (Runtime.OnCallbackError) and, for
// every, the timer keeps running. A state's timers stop at the Runtime's
// End or Close.
func openTimer(L *lua.LState, rt *Runtime) *lua.LTable {
	mt := L.NewTypeMetatable(timerTypeName)
	mt.RawSetString("__index", funcTable(L, map[string]lua.LGFunction{
		"cancel": timerCancel,
	}))
	return funcTable(L, map[string]lua.LGFunction{
		"after": func(L *lua.LState) int { return startTimer(L, rt, false) },
		"every": func(L *lua.LState) int { return startTimer(L, rt, true) },
	})
}

// timerSet holds a state's live timers.
type timerSet struct {
	mu     sync.Mutex
	live   map[*luaTimer]struct{}
	done   chan struct{}
	closed bool
}

// timerSetOf returns the state's timer set, creating it on first use;
// the set's timers stop at the Runtime's End (or Close).
func timerSetOf(L *lua.LState, rt *Runtime) *timerSet {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if ud, ok := reg.RawGetString(timerSetKey).(*lua.LUserData); ok {
		return ud.Value.(*timerSet)
	}
	set := &timerSet{live: map[*luaTimer]struct{}{}, done: make(chan struct{})}
	ud := L.NewUserData()
	ud.Value = set
	reg.RawSetString(timerSetKey, ud)
	rt.OnEnd(func() { stopTimers(L, set) })
	return set
}

// stopTimers cancels every timer of set and forgets it as L's set, so
// that timers started later work again.
func stopTimers(L *lua.LState, set *timerSet) {
	set.stopAll()
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if ud, ok := reg.RawGetString(timerSetKey).(*lua.LUserData); ok && ud.Value == set {
		reg.RawSetString(timerSetKey, lua.LNil)
	}
}

func (s *timerSet) add(t *luaTimer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.live[t] = struct{}{}
	return true
}

func (s *timerSet) remove(t *luaTimer) {
	s.mu.Lock()
	delete(s.live, t)
	s.mu.Unlock()
}

func (s *timerSet) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// stopAll cancels every timer and refuses new ones.
func (s *timerSet) stopAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.done)
	for t := range s.live {
		t.cancel()
	}
	clear(s.live)
}

// Timer states.
const (
	timerActive int32 = iota
	timerCancelled
	timerFired
)

// luaTimer is one running timer.
type luaTimer struct {
	state atomic.Int32
	stop  chan struct{}
	slot  Deferred // the run that made the timer: its callbacks run under it
	// queued is set while a tick waits in the loop: a repeating timer
	// whose callback runs late skips ticks (as time.Ticker does) instead
	// of queueing one per interval.
	queued atomic.Bool
}

// cancel stops the timer; it reports whether it was still active (a
// one-shot timer whose callback already ran is not).
func (t *luaTimer) cancel() bool {
	if !t.state.CompareAndSwap(timerActive, timerCancelled) {
		return false
	}
	close(t.stop)
	return true
}

// startTimer implements timer.after and timer.every.
func startTimer(L *lua.LState, rt *Runtime, repeat bool) int {
	ms := argInt(L, 1)
	fn := L.CheckFunction(2)
	if ms < 0 || (repeat && ms == 0) {
		L.ArgError(1, "interval must be positive")
	}
	if rt.Loop == nil {
		return failure(L, ErrNoLoop.Error())
	}
	set := timerSetOf(L, rt)
	t := &luaTimer{stop: make(chan struct{}), slot: rt.Defer()}
	if !set.add(t) {
		return failure(L, "bindings: timer: state is closing")
	}
	go t.run(rt, set, time.Duration(ms)*time.Millisecond, repeat, fn)
	ud := L.NewUserData()
	ud.Value = t
	L.SetMetatable(ud, L.GetTypeMetatable(timerTypeName))
	L.Push(ud)
	return 1
}

// run waits on the clock and posts the callback to the state's loop.
func (t *luaTimer) run(rt *Runtime, set *timerSet, d time.Duration, repeat bool, fn *lua.LFunction) {
	defer set.remove(t)
	clock := rt.clock()
	for {
		select {
		case <-clock.After(d):
		case <-t.stop:
			return
		case <-set.done:
			return
		}
		if t.state.Load() != timerActive || set.isClosed() {
			return
		}
		if repeat && !t.queued.CompareAndSwap(false, true) {
			continue // the last tick has not run yet
		}
		if !t.slot.Post(func(L *lua.LState) { t.fire(L, rt, fn, repeat) }) || !repeat {
			return
		}
	}
}

// fire calls the Lua callback unless the timer was cancelled meanwhile.
func (t *luaTimer) fire(L *lua.LState, rt *Runtime, fn *lua.LFunction, repeat bool) {
	if !repeat && !t.state.CompareAndSwap(timerActive, timerFired) {
		return
	}
	t.queued.Store(false)
	if repeat && t.state.Load() != timerActive {
		return
	}
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}); err != nil {
		rt.callbackFailed("timer", t.slot.scope.call, err)
	}
}

// runArgs returns the script and the run's call and node as slog
// arguments.
func runArgs(rt *Runtime) []any {
	attrs := runAttrs(rt.Script, rt.scope, nil)
	out := make([]any, len(attrs))
	for i, a := range attrs {
		out[i] = a
	}
	return out
}

// timerCancel implements handle:cancel().
func timerCancel(L *lua.LState) int {
	ud := L.CheckUserData(1)
	t, ok := ud.Value.(*luaTimer)
	if !ok {
		L.ArgError(1, "timer expected")
	}
	L.Push(lua.LBool(t.cancel()))
	return 1
}
