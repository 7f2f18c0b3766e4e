package host

import (
	"context"
	"time"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// luaState is the one owner type of the host's Lua states: a state of one
// script (or one-shot file) of one generation with its Runtime. A
// worker's states (event handlers), a timer loop's, an outbound call's
// (pooled), a one-shot run's and a script's load-time state differ only in
// who drains their deferred callbacks (see drain). Only that goroutine
// touches the state.
type luaState struct {
	L       *lua.LState
	tbl     *lua.LTable // the script's handler table (nil for a one-shot file)
	rt      *bindings.Runtime
	posts   *bindings.Queue // the state's own callback queue (ownQueue), else nil
	g       *Generation
	script  string
	callKey string // the worker's stateKey.call
	closed  bool
	events  *bindings.EventPusher // wraps the events handed to the script (lazily made)

	// A binding callback's error, kept while the state runs a posted
	// callback (handler "callback") so that the run reports it.
	inCallback bool
	cbErr      error
	cbCall     string
	cbWhat     string
}

// drain gives a new state its Loop: who runs its deferred callbacks. nil
// means nobody (an init or load-time state): timers and bgapi callbacks
// then fail with bindings.ErrNoLoop.
type drain func(st *luaState) bindings.Loop

// ownQueue is the drain of a state whose goroutine drains a queue of its
// own: between runs (a timer loop) and while a binding waits (a session,
// a one-shot run).
func ownQueue(st *luaState) bindings.Loop {
	st.posts = bindings.NewQueue(0)
	return st.posts
}

// newState returns a state of g for rt (whose capabilities the caller
// filled; its Loop comes from d) with the modules preloaded and the file
// at rel loaded in the sandbox; nothing runs yet.
func (g *Generation) newState(rt *bindings.Runtime, rel string, d drain) *luaState {
	st := &luaState{rt: rt, g: g, script: rt.Script}
	if d != nil {
		rt.Loop = d(st)
	}
	st.L = g.newSandboxState(rt, rel)
	return st
}

// openState returns a state running script: its top level has run (in
// the load timeout) and tbl is its handler table. For a ModLua script
// the top level is not run: the table's session function runs it. Errors
// are *LoadError, or wrap ErrNoScript for an unknown name.
func (g *Generation) openState(rt *bindings.Runtime, d drain) (*luaState, error) {
	s := g.scripts[rt.Script]
	if s == nil {
		return nil, noScriptError(rt.Script)
	}
	st := g.newState(rt, s.file.rel, d)
	if s.ModLua {
		st.tbl = g.modLuaTable(st.L, s)
		return st, nil
	}
	tbl, lerr := g.runScript(st, s.file)
	if lerr != nil {
		st.close()
		return nil, lerr
	}
	st.tbl = tbl
	return st, nil
}

// close closes the state once: its Runtime (timers, legs, consumers
// stop; posts are refused), its queue and the Lua state.
func (st *luaState) close() {
	if st.closed {
		return
	}
	st.closed = true
	st.rt.Close()
	if st.posts != nil {
		st.posts.Close()
	}
	st.L.Close()
}

// callResult is the outcome of one protected Lua call.
type callResult struct {
	err    error         // nil on success; wraps ErrBudget (or the guard's stop) when killed
	luaErr error         // the error as the VM raised it
	stop   error         // when killed: why the run's context ended (its Err)
	killed bool          // the budget (or the host) stopped the call
	dur    time.Duration // wall time of the call
	// When err is a binding callback's: the call of the run that
	// scheduled it and its kind ("timer", "bgapi").
	cbCall, cbWhat string
}

// call runs fn(args...) in st and returns fn's first result: the one
// protected call of every Lua run of the host. ctx bounds the run: the VM
// stops at its next instruction once ctx ends, and the guard watches it
// (ScriptLimits), on the worker's lane when ctx is a worker's budget
// context, else on a lane of its own. The bindings act for sc, waiting
// under the run's wait context. A Lua error comes back with script:line
// and traceback; when ctx ended during the call the error wraps ErrBudget
// (or the guard's stop) and killed is set: the state must then be
// discarded. In a run of handler "callback", an error a binding callback
// raised is the run's error. start is the clock the caller read just
// before.
func (st *luaState) call(ctx context.Context, handler string, sc bindings.Scope, start monoTime, fn lua.LValue, args ...lua.LValue) (lua.LValue, callResult) {
	bc, ok := ctx.(*budgetCtx)
	if !ok || bc.wait == nil {
		r := startRun(ctx, st.g.limits)
		defer r.end()
		bc = r.ctx
	}
	st.inCallback = handler == callbackHandler
	var err error
	st.rt.Run(sc.WithContext(bc.wait), func() {
		st.L.SetContext(bc)
		err = st.L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, args...)
		st.L.RemoveContext()
	})
	res := callResult{err: err, luaErr: err, dur: start.since()}
	ret := lua.LValue(lua.LNil)
	if err == nil {
		ret = st.L.Get(-1)
		st.L.Pop(1)
	} else if stop := bc.Err(); stop != nil {
		res.killed, res.stop = true, stop
		res.err = budgetError(bc, err, res.dur)
	}
	if res.err == nil && st.cbErr != nil {
		res.err, res.cbCall, res.cbWhat = st.cbErr, st.cbCall, st.cbWhat
	}
	st.inCallback, st.cbErr = false, nil
	return ret, res
}

// run is a state's call for the host: the outcome goes to the Observer
// and a failure to the log, with the call and node it was for.
func (h *Host) run(ctx context.Context, st *luaState, handler string, sc bindings.Scope, start monoTime, fn lua.LValue, args ...lua.LValue) callResult {
	_, res := st.call(ctx, handler, sc, start, fn, args...)
	h.obs.HandlerDone(st.script, handler, res.dur, res.err, res.killed)
	if res.err != nil {
		call := sc.Call()
		if res.cbWhat != "" {
			call = res.cbCall
		}
		logFailure(failureLogger(h.log, call, sc.Node(), res.cbWhat), "host: handler failed", st.script, handler, res.err)
	}
	return res
}

// openState returns a state of script in generation g with the host-wide
// capabilities; d says who drains its callbacks.
func (h *Host) openState(g *genView, script string, d drain) (*luaState, error) {
	var st *luaState
	rt := &bindings.Runtime{
		Script: script,
		Logger: h.log,
		Nodes:  h.commander,
		KV:     h.opts.KV,
		Clock:  h.opts.Clock,
		OnCallbackError: func(what, call string, err error) {
			h.callbackFailed(st, script, what, call, err)
		},
	}
	st, err := g.gen.openState(rt, d)
	return st, err
}

// pushEvent wraps it's event for the script, with the headers dispatch
// already looked up, so the script's reads of them do not scan it again.
func (st *luaState) pushEvent(it item) lua.LValue {
	if st.events == nil {
		st.events = bindings.NewEventPusher(st.L)
	}
	known := bindings.KnownHeaders{EventName: it.name}
	if it.uidHdr {
		known.UniqueID = it.uuid
	}
	return st.events.Push(it.ev, known)
}

// forgetEvent drops the pusher's reference to the last event, so an idle
// state does not keep it (and its read buffer) alive.
func (st *luaState) forgetEvent() {
	if st.events != nil {
		st.events.Forget()
	}
}
