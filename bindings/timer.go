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
// Callbacks run on the state's own goroutine through Env.Loop, never on a
// timer goroutine. A callback that raises is logged and, for every, the
// timer keeps running. All timers of a state stop when Env.Done closes or
// StopTimers is called.
func openTimer(L *lua.LState, env *Env) *lua.LTable {
	mt := L.NewTypeMetatable(timerTypeName)
	mt.RawSetString("__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"cancel": timerCancel,
	}))
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"after": func(L *lua.LState) int { return startTimer(L, env, false) },
		"every": func(L *lua.LState) int { return startTimer(L, env, true) },
	})
}

// timerSet holds a state's live timers.
type timerSet struct {
	mu     sync.Mutex
	live   map[*luaTimer]struct{}
	done   chan struct{}
	closed bool
}

// timerSetOf returns the state's timer set, creating it on first use.
func timerSetOf(L *lua.LState, env *Env) *timerSet {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if ud, ok := reg.RawGetString(timerSetKey).(*lua.LUserData); ok {
		return ud.Value.(*timerSet)
	}
	set := &timerSet{live: map[*luaTimer]struct{}{}, done: make(chan struct{})}
	ud := L.NewUserData()
	ud.Value = set
	reg.RawSetString(timerSetKey, ud)
	if env.Done != nil {
		go func() {
			select {
			case <-env.Done:
				set.stopAll()
			case <-set.done:
			}
		}()
	}
	return set
}

// StopTimers cancels every timer of L. Call it from the goroutine that
// owns L (typically when the state is closed or returned to a pool).
// Timers started later work again.
func StopTimers(L *lua.LState) {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if ud, ok := reg.RawGetString(timerSetKey).(*lua.LUserData); ok {
		ud.Value.(*timerSet).stopAll()
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
	scope scope // the run that made the timer: its callbacks run under it
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
func startTimer(L *lua.LState, env *Env, repeat bool) int {
	ms := argInt(L, 1)
	fn := L.CheckFunction(2)
	if ms < 0 || (repeat && ms == 0) {
		L.ArgError(1, "interval must be positive")
	}
	if env.Loop == nil {
		return failure(L, ErrNoLoop.Error())
	}
	set := timerSetOf(L, env)
	t := &luaTimer{stop: make(chan struct{}), scope: env.current()}
	if !set.add(t) {
		return failure(L, "bindings: timer: state is closing")
	}
	go t.run(env, set, time.Duration(ms)*time.Millisecond, repeat, fn)
	ud := L.NewUserData()
	ud.Value = t
	L.SetMetatable(ud, L.GetTypeMetatable(timerTypeName))
	L.Push(ud)
	return 1
}

// run waits on the clock and posts the callback to the state's loop.
func (t *luaTimer) run(env *Env, set *timerSet, d time.Duration, repeat bool, fn *lua.LFunction) {
	defer set.remove(t)
	clock := env.clock()
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
		if !env.postIn(t.scope, func(L *lua.LState) { t.fire(L, env, fn, repeat) }) || !repeat {
			return
		}
	}
}

// fire calls the Lua callback unless the timer was cancelled meanwhile.
func (t *luaTimer) fire(L *lua.LState, env *Env, fn *lua.LFunction, repeat bool) {
	if !repeat && !t.state.CompareAndSwap(timerActive, timerFired) {
		return
	}
	t.queued.Store(false)
	if repeat && t.state.Load() != timerActive {
		return
	}
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}); err != nil {
		env.callbackFailed("timer", t.scope.call, err)
	}
}

// envArgs returns the script/call/node attributes as slog arguments.
func envArgs(env *Env) []any {
	attrs := envAttrs(env, nil)
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
