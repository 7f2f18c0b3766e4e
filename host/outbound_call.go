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
// and returns the cause label (see causeOf). The Lua code and
// its bindings share one context, bounded by the session budget (and the
// host's life) but not by the hangup: after the caller hangs up only the
// call's own media methods end (the session binding watches the hangup
// itself), and the script's cleanup still reaches FreeSWITCH.
func (h *Host) runSession(ctx context.Context, g *genView, script string, lo ListenerOptions, s *esl.Session) string {
	q := bindings.NewQueue(0)
	defer q.Close()
	st, release, err := h.sessionState(g, script, q)
	if err != nil {
		h.obs.HandlerDone(script, "session", 0, err, false)
		logFailure(h.log, "host: cannot start script", script, "session", err)
		return "error"
	}
	st.env.Node, st.env.CallUUID = lo.Node, s.UUID()
	sock := h.wrapCommander(lo.Node, s.Conn) // the session's own commands are timed too
	st.env.ESL = callCommands{sock: sock, gone: s.Done(), node: legNode{h, lo.Node}}
	luaCtx, cancel := sessionContext(ctx, h.life, h.opts.SessionBudget)
	defer cancel()
	obj := bindings.NewSession(st.L, st.env, bindings.WrapSession(s, sock))
	bindings.SetLegDialer(st.L, legNode{h, lo.Node})
	args := sessionArgs(st.L, g.byName[script], s, obj)
	res := h.callWith(luaCtx, luaCtx, st, "session", field(st.tbl, "session"), args...)
	bindings.StopTimers(st.L)
	bindings.CloseLegs(st.L)
	release(res.err == nil)
	return causeOf(res, bindings.HangupCause(obj))
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

// sessionContext returns the context of a call's script: it carries ctx's
// values (the session's trace) but not its end (the socket's), and ends
// after budget or when life (the host's) ends.
func sessionContext(ctx, life context.Context, budget time.Duration) (context.Context, context.CancelFunc) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), budget)
	stop := context.AfterFunc(life, cancel)
	return sctx, func() {
		stop()
		cancel()
	}
}

// causeOf labels a session outcome (eslscript_sessions_ended_total's
// cause): "budget" when the session budget (or the host's end) stopped the
// script, "error" when it raised; otherwise the call's hangup cause when
// it hung up before the script returned (NORMAL_CLEARING, USER_BUSY...;
// the metric bounds it to FreeSWITCH's names), else "ok" (the script
// returned with the call up: transferred, or its dialplan goes on).
func causeOf(res callResult, hangupCause string) string {
	switch {
	case res.killed:
		return "budget"
	case res.err != nil:
		return "error"
	case hangupCause != "":
		return hangupCause
	default:
		return "ok"
	}
}
