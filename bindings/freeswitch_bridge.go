package bindings

import (
	"errors"
	"slices"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// fsBridge implements freeswitch.bridge(a, b): "api uuid_bridge <a> <b>",
// then it blocks, like mod_lua's bridge, until the bridge ends (a leg
// hangs up, or is taken out of it) or the handler's context ends, running
// the state's loop callbacks and keeping both sessions' events flowing
// meanwhile. It returns nothing; when a leg is not ready or FreeSWITCH
// refuses the bridge it logs and returns at once, as mod_lua does.
//
// uuid_bridge takes both calls out of what they were running (the
// script's call out of its socket application), so both get
// park_after_bridge for the bridge's time: when it ends, the survivor is
// parked, and the script keeps driving it as under mod_lua (without it,
// FreeSWITCH would go on with the call's dialplan). The script's own call
// can no longer go back to its dialplan: if it is still up when the
// script returns, the Runtime's End hangs it up.
func fsBridge(L *lua.LState, rt *Runtime) int {
	a, b := sessionAt(L, 1), sessionAt(L, 2)
	a.refresh(L)
	b.refresh(L)
	if a.down || b.down || rt.scope.esl == nil {
		rt.logger().Warn("bindings: freeswitch.bridge: a leg is not ready", runArgs(rt)...)
		return 0
	}
	for _, s := range []*luaSession{a, b} {
		if _, why := s.api("uuid_setvar " + s.uuid + " park_after_bridge true"); why != "" {
			rt.logger().Warn("bindings: freeswitch.bridge: park_after_bridge not set", append(runArgs(rt), "error", why)...)
		}
	}
	if _, err := rt.scope.esl.API(rt.ctx(), "uuid_bridge "+a.uuid+" "+b.uuid); err != nil {
		rt.logger().Warn("bindings: freeswitch.bridge failed", append(runArgs(rt), "error", errText(err))...)
		return 0
	}
	if set := legSetOf(L); set != nil {
		set.bridgedAway(a, b)
	}
	waitBridgeEnd(L, rt, a, b)
	waitParkedAfterBridge(L, rt, a, b)
	for _, s := range []*luaSession{a, b} {
		if s.refresh(L); !s.down {
			_, _ = s.api("uuid_setvar " + s.uuid + " park_after_bridge")
		}
	}
	return 0
}

// parkAfterBridgeWait bounds the wait for a survivor's park after a
// bridge (a FreeSWITCH that parks nothing, e.g. a leg it did not answer).
const parkAfterBridgeWait = 5 * time.Second

// waitParkedAfterBridge waits until each of a and b that is still up was
// parked after the bridge (a CHANNEL_PARK after the CHANNEL_BRIDGE), is
// down or transferred, or parkAfterBridgeWait passed. FreeSWITCH reads
// park_after_bridge only after the bridge's CHANNEL_UNBRIDGE and the
// other leg's hangup, so clearing it any earlier may send the script's
// call back to its dialplan (a real FreeSWITCH under load did).
func waitParkedAfterBridge(L *lua.LState, rt *Runtime, a, b *luaSession) {
	ref := max(a.bridgeSeq, b.bridgeSeq)
	if ref == 0 {
		return // no bridge began: nothing for FreeSWITCH to read
	}
	timeout := rt.clock().After(parkAfterBridgeWait)
	for _, s := range []*luaSession{a, b} {
		settled := func() bool { return s.down || s.transferred || s.parkSeq > ref }
		if err := s.wait(L, waitFor{cond: settled, timeout: timeout}); err != nil {
			if errors.Is(err, errTimeout) {
				rt.logger().Warn("bindings: freeswitch.bridge: no park after the bridge", runArgs(rt)...)
			}
			return
		}
	}
}

// bridgedAway notes the sessions among ss that are not legs of the set
// (the script's own call): they left their socket application for the
// bridge, and the Runtime's End hangs them up if they are still up at the end.
func (set *legSet) bridgedAway(ss ...*luaSession) {
	for _, s := range ss {
		if set.find(s) == nil && !slices.Contains(set.away, s) {
			set.away = append(set.away, s)
		}
	}
}

// sessionAt returns the session object at argument n.
func sessionAt(L *lua.LState, n int) *luaSession {
	if s, ok := L.CheckUserData(n).Value.(*luaSession); ok {
		return s
	}
	L.ArgError(n, "session expected")
	return nil
}

// waitBridgeEnd waits until a or b is down, or the bridge that began
// (CHANNEL_BRIDGE) ended (CHANNEL_UNBRIDGE), or the handler's context
// ends, handling loop callbacks and both sessions' events.
func waitBridgeEnd(L *lua.LState, rt *Runtime, a, b *luaSession) {
	ctx, pend := rt.ctx(), rt.pending()
	began := false
	for !a.down && !b.down && !(began && !a.bridged && !b.bridged) {
		began = began || a.bridged || b.bridged
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
