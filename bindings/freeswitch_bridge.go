package bindings

import (
	lua "github.com/yuin/gopher-lua"
)

// fsBridge implements freeswitch.bridge(a, b): "api uuid_bridge <a> <b>",
// then it blocks, like mod_lua's bridge, until either leg hangs up or the
// handler's context ends, running the state's loop callbacks and keeping
// both sessions' events flowing meanwhile. It returns nothing; when a
// leg is not ready or FreeSWITCH refuses the bridge it logs and returns
// at once, as mod_lua does.
func fsBridge(L *lua.LState, env *Env) int {
	a, b := sessionAt(L, 1), sessionAt(L, 2)
	a.refresh(L)
	b.refresh(L)
	if a.down || b.down || env.ESL == nil {
		env.logger().Warn("bindings: freeswitch.bridge: a leg is not ready", envArgs(env)...)
		return 0
	}
	if _, err := env.ESL.API(env.ctx(), "uuid_bridge "+a.uuid+" "+b.uuid); err != nil {
		env.logger().Warn("bindings: freeswitch.bridge failed", append(envArgs(env), "error", errText(err))...)
		return 0
	}
	waitEitherDown(L, env, a, b)
	a.refresh(L)
	b.refresh(L)
	return 0
}

// sessionAt returns the session object at argument n.
func sessionAt(L *lua.LState, n int) *luaSession {
	if s, ok := L.CheckUserData(n).Value.(*luaSession); ok {
		return s
	}
	L.ArgError(n, "session expected")
	return nil
}

// waitEitherDown waits until a or b is down or the handler's context
// ends, handling loop callbacks and both sessions' events.
func waitEitherDown(L *lua.LState, env *Env, a, b *luaSession) {
	ctx, pend := env.ctx(), env.pending()
	for !a.down && !b.down {
		select {
		case ev, ok := <-a.events:
			a.receive(ev, ok)
		case ev, ok := <-b.events:
			b.receive(ev, ok)
		case <-a.hupCh:
			a.hungUp()
		case <-b.hupCh:
			b.hungUp()
		case fn := <-pend:
			fn(L)
		case <-ctx.Done():
			return
		}
	}
}
