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
		if g.gen.tryAcquire() {
			return g, nil
		}
		// g was retired and went idle meanwhile: the next Load sees its successor.
	}
}

// unpin releases a generation pinned by pin.
func (g *genView) unpin() { g.gen.release() }

// runSession runs the script's session function with the session object
// and returns the cause label (see causeOf). The Lua code and
// its bindings share one context, bounded by the session budget (and the
// host's life) but not by the hangup: after the caller hangs up only the
// call's own media methods end (the session binding watches the hangup
// itself), and the script's cleanup still reaches FreeSWITCH.
func (h *Host) runSession(ctx context.Context, g *genView, script string, lo ListenerOptions, s *esl.Session) string {
	pool := g.gen.pool(script)
	st, err := pool.get(func() (*luaState, error) { return h.openState(g, script, ownQueue) })
	if err != nil {
		h.obs.HandlerDone(script, "session", 0, err, false)
		logFailure(h.log, "host: cannot start script", script, "session", err)
		return "error"
	}
	sock := h.wrapCommander(lo.Node, s.Conn) // the session's own commands are timed too
	sc := bindings.NewScope(lo.Node, s.UUID(), callCommands{sock: sock, gone: s.Done(), node: legNode{h, lo.Node}})
	luaCtx, cancel := sessionContext(ctx, h.life, h.opts.SessionBudget)
	defer cancel()
	obj := bindings.NewSession(st.L, st.rt, bindings.WrapSession(s, sock))
	bindings.SetLegDialer(st.L, legNode{h, lo.Node})
	args := sessionArgs(st.L, g.byName[script], s, obj)
	res := h.run(luaCtx, st, "session", sc, monoNow(), field(st.tbl, "session"), args...)
	st.rt.End() // the call's timers stop, its legs end
	pool.put(st, res.err == nil)
	return causeOf(res, bindings.HangupCause(obj))
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
