package host

import (
	"context"
	"fmt"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// serveCall runs one outbound call: it picks the script, pins the current
// generation for the call's whole life and runs the script's session
// function on this goroutine, so a blocking call blocks only this call.
func (h *Host) serveCall(ctx context.Context, lo ListenerOptions, s *esl.Session) {
	name := lo.Script
	if v := s.Data.Var(ScriptVar); v != "" {
		name = v
	}
	g, err := h.pin(name)
	if err != nil {
		h.log.Warn("host: outbound call not run", "listener", lo.Name, "uuid", s.UUID(), "error", err)
		h.obs.SessionRejected(lo.Name, "no_script")
		refuseCall(ctx, s, "no_script")
		return
	}
	defer g.unpin()
	c := h.out.track(lo.Name, name, s)
	defer h.out.untrack(c)
	h.obs.SessionStarted(lo.Name, name)
	end := func(string) {}
	if h.opts.SessionTracer != nil {
		ctx, end = h.opts.SessionTracer.StartSession(ctx, lo.Name, name, s.UUID())
	}
	cause := h.runSession(ctx, g, name, lo, s)
	end(cause)
	h.obs.SessionEnded(lo.Name, name, cause)
	if n := s.EventsDropped(); n > 0 {
		h.log.Warn("host: call events dropped: the script did not wait for events often enough",
			"listener", lo.Name, "script", name, "uuid", s.UUID(), "dropped", n, "queue", sessionEventQueue)
	}
}

// pin returns the current generation, acquired for a call, if it has a
// session script called name; else an error wrapping ErrNoScript.
func (h *Host) pin(name string) (*genView, error) {
	for {
		g := h.cur.Load()
		if sc := g.byName[name]; sc == nil || !sc.Session {
			return nil, fmt.Errorf("%w: %q", ErrNoScript, name)
		}
		if g.gen == nil || g.gen.TryAcquire() {
			return g, nil
		}
		// g was retired and went idle meanwhile: the next Load sees its successor.
	}
}

// unpin releases a generation pinned by pin.
func (g *genView) unpin() {
	if g.gen != nil {
		g.gen.Release()
	}
}

// runSession runs the script's session function with the session object
// and returns the cause label ("ok", "error", "budget"). The blocking
// bindings get a context that ends at hangup; the Lua code itself is only
// bounded by the session budget, so its cleanup after a hangup still runs.
func (h *Host) runSession(ctx context.Context, g *genView, script string, lo ListenerOptions, s *esl.Session) string {
	q := bindings.NewQueue(0)
	defer q.Close()
	st, release, err := h.sessionState(g, script, q)
	if err != nil {
		h.obs.HandlerDone(script, "session", 0, err, false)
		logFailure(h.log, "host: cannot start script", script, "session", err)
		return "error"
	}
	st.env.Node, st.env.CallUUID, st.env.ESL = lo.Node, s.UUID(), h.wrapCommander(lo.Node, s.Conn)
	callCtx, cancelCall := callContext(ctx, s, h.opts.SessionBudget)
	defer cancelCall()
	luaCtx, cancelLua := withBudget(h.life, h.opts.SessionBudget)
	defer cancelLua()
	obj := bindings.NewSession(st.L, st.env, bindings.WrapSession(s))
	bindings.SetLegDialer(st.L, legNode{h, lo.Node})
	args := sessionArgs(st.L, g.byName[script], s, obj)
	res := h.callWith(luaCtx, callCtx, st, "session", field(st.tbl, "session"), args...)
	bindings.StopTimers(st.L)
	bindings.CloseLegs(st.L)
	release(res.err == nil)
	return causeOf(res)
}

// sessionState takes a state for a call from the generation's pool (a
// fresh one in unit tests, which have no Generation). release gives it
// back when reusable is true, else closes it.
func (h *Host) sessionState(g *genView, script string, q *bindings.Queue) (*luaState, func(reusable bool), error) {
	if g.gen == nil {
		st, err := h.openState(g, script, func(*luaState) bindings.Loop { return q })
		if err != nil {
			return nil, nil, err
		}
		return st, func(bool) { st.close() }, nil
	}
	pool := g.gen.Pool(script)
	ps, err := pool.Get(h.baseEnv(script))
	if err != nil {
		return nil, nil, err
	}
	st := &luaState{L: ps.L, tbl: ps.Table, env: ps.Env, script: script, gen: g.id}
	st.env.Context, st.env.Loop = st.context, q
	return st, func(reusable bool) {
		if reusable {
			pool.Put(ps)
		} else {
			pool.Discard(ps)
		}
	}, nil
}

// callContext returns the context of a call's blocking bindings: it ends at
// hangup, when the socket ends (ctx) or after budget. The hangup cancels
// it through the session's hangup context, without a goroutine per call.
func callContext(ctx context.Context, s *esl.Session, budget time.Duration) (context.Context, context.CancelFunc) {
	cctx, cancel := context.WithTimeout(ctx, budget)
	stop := context.AfterFunc(s.HangupContext(), cancel)
	return cctx, func() {
		stop()
		cancel()
	}
}

// causeOf labels a session outcome.
func causeOf(res callResult) string {
	switch {
	case res.killed:
		return "budget"
	case res.err != nil:
		return "error"
	default:
		return "ok"
	}
}
