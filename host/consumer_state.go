package host

import (
	"context"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// luaState is one Lua state running one script of one generation. It is
// only ever touched by the goroutine that owns it (a worker, a timer
// goroutine, an outbound call).
type luaState struct {
	L      *lua.LState
	tbl    *lua.LTable
	env    *bindings.Env
	script string
	gen    uint64
	call   string          // the worker's stateKey.call
	ctx    context.Context // context of the running call (Env.Context)
	done   chan struct{}   // Env.Done: closed with the state
	closed bool
	events *bindings.EventPusher // wraps the events handed to the script (lazily made)

	// A binding callback's error, kept while the state runs posted
	// callbacks (handler "callback") so that the run reports it.
	inCallback bool
	cbErr      error
	cbCall     string
	cbWhat     string
}

// openState builds a state for script in generation g; loop (may be nil)
// runs callbacks on the owning goroutine. The Env is filled with the
// host-wide capabilities; the per-event fields (Node, ESL, CallUUID) are
// set before each call.
func (h *Host) openState(g *genView, script string, loop func(*luaState) bindings.Loop) (*luaState, error) {
	st := &luaState{script: script, gen: g.id, env: h.baseEnv(script), done: make(chan struct{})}
	st.env.Context, st.env.Done = st.context, st.done
	st.env.OnCallbackError = func(what, call string, err error) { h.callbackFailed(st, script, what, call, err) }
	if loop != nil {
		st.env.Loop = loop(st)
	}
	L, tbl, err := g.newState(script, st.env)
	if err != nil {
		return nil, err
	}
	st.L, st.tbl = L, tbl
	return st, nil
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

// context returns the running call's context (Env.Context).
func (st *luaState) context() context.Context {
	if st.ctx == nil {
		return context.Background()
	}
	return st.ctx
}

// close closes the Lua state once, stopping its binding timers.
func (st *luaState) close() {
	if !st.closed {
		st.closed = true
		if st.done != nil {
			close(st.done)
		}
		st.L.Close()
	}
}

// baseEnv returns a fresh Env with the host-wide capabilities.
func (h *Host) baseEnv(script string) *bindings.Env {
	return &bindings.Env{
		Script: script,
		Logger: h.log,
		Nodes:  h.commander,
		KV:     h.opts.KV,
		Clock:  h.opts.Clock,
		OnCallbackError: func(what, call string, err error) {
			h.callbackFailed(nil, script, what, call, err)
		},
	}
}

// call runs fn(args...) in st under ctx, which bounds both the Lua code and
// the blocking bindings it calls (Env.Context). It reports the outcome to
// the Observer and logs failures.
func (h *Host) call(ctx context.Context, st *luaState, handlerName string, fn lua.LValue, args ...lua.LValue) callResult {
	return h.callWith(ctx, ctx, st, handlerName, fn, args...)
}

// callWith is call with separate contexts: luaCtx stops the Lua code,
// envCtx is what blocking bindings wait under (Env.Context).
func (h *Host) callWith(luaCtx, envCtx context.Context, st *luaState, handlerName string, fn lua.LValue, args ...lua.LValue) callResult {
	return h.callAt(luaCtx, envCtx, st, handlerName, monoNow(), fn, args...)
}

// callAt is callWith for a call starting at start (read by the caller).
// The call is watched by the guard (ScriptLimits): on the worker's lane
// when luaCtx is a worker's, else on a lane of its own. When envCtx is
// luaCtx, bindings wait under the run's waitCtx.
func (h *Host) callAt(luaCtx, envCtx context.Context, st *luaState, handlerName string, start monoTime, fn lua.LValue, args ...lua.LValue) callResult {
	bc, ok := luaCtx.(*budgetCtx)
	if !ok || bc.wait == nil {
		r := startRun(luaCtx, h.opts.Limits)
		defer r.end()
		bc = r.ctx
	}
	if envCtx == luaCtx {
		envCtx = bc.wait
	}
	st.ctx, st.inCallback = envCtx, handlerName == callbackHandler
	res := protectedCallAt(bc, st.L, start, fn, args...)
	call, what := st.env.CallUUID, ""
	if res.err == nil && st.cbErr != nil {
		res.err, call, what = st.cbErr, st.cbCall, st.cbWhat
	}
	st.ctx, st.inCallback, st.cbErr = nil, false, nil
	h.obs.HandlerDone(st.script, handlerName, res.dur, res.err, res.killed)
	if res.err != nil {
		logFailure(failureLogger(h.log, call, st.env.Node, what), "host: handler failed", st.script, handlerName, res.err)
	}
	return res
}
