package scripttest

import (
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

const callTypeName = "eslscript.test.call"

// registerCallType builds the metatable of call objects.
func registerCallType(L *lua.LState, r *fileRunner) {
	mt := L.NewTypeMetatable(callTypeName)
	methods := map[string]func(*simCall, *lua.LState) int{
		"uuid":             func(c *simCall, L *lua.LState) int { return push(L, lua.LString(c.call.UUID())) },
		"dtmf":             callDTMF,
		"on_prompt":        callOnPrompt,
		"hangup_on":        callHangupOn,
		"hangup_after":     callHangupAfter,
		"hangup_on_prompt": callHangupOnPrompt,
		"hangup":           callHangup,
		"run":              callRun,
		"apps":             callApps,
		"app_names":        callAppNames,
		"var":              func(c *simCall, L *lua.LState) int { return pushOpt(L, c.call.Var(L.CheckString(2))) },
		"vars":             func(c *simCall, L *lua.LState) int { return push(L, mapTable(L, c.call.Vars())) },
		"vars_set":         func(c *simCall, L *lua.LState) int { return push(L, mapTable(L, c.varsSet())) },
		"hangup_cause":     func(c *simCall, L *lua.LState) int { return pushOpt(L, c.call.HangupCause()) },
		"answered":         func(c *simCall, L *lua.LState) int { return push(L, lua.LBool(c.call.Answered())) },
		"transferred_to":   func(c *simCall, L *lua.LState) int { return pushOpt(L, c.call.TransferredTo()) },
		"sent_dtmf":        func(c *simCall, L *lua.LState) int { return push(L, lua.LString(c.call.SentDTMF())) },
		"result":           func(c *simCall, L *lua.LState) int { return pushOpt(L, c.cause) },
		"error":            func(c *simCall, L *lua.LState) int { return pushOpt(L, c.errMsg) },
		"event":            callEvent,
	}
	idx := L.NewTable()
	for name, fn := range methods {
		idx.RawSetString(name, L.NewFunction(callMethod(r, fn)))
	}
	mt.RawSetString("__index", idx)
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		return push(L, lua.LString("call "+checkCall(L).call.UUID()))
	}))
}

// callMethod adapts a call method, raising when its test is over.
func callMethod(r *fileRunner, fn func(*simCall, *lua.LState) int) lua.LGFunction {
	return func(L *lua.LState) int {
		c := checkCall(L)
		if r.world != c.w {
			L.RaiseError("this call belongs to another test")
		}
		return fn(c, L)
	}
}

func newCallValue(L *lua.LState, c *simCall) lua.LValue {
	ud := L.NewUserData()
	ud.Value = c
	L.SetMetatable(ud, L.GetTypeMetatable(callTypeName))
	return ud
}

func checkCall(L *lua.LState) *simCall {
	if c, ok := L.CheckUserData(1).Value.(*simCall); ok {
		return c
	}
	L.ArgError(1, "call expected")
	return nil
}

func push(L *lua.LState, v lua.LValue) int {
	L.Push(v)
	return 1
}

// pushOpt pushes s, or nil for "".
func pushOpt(L *lua.LState, s string) int {
	if s == "" {
		return push(L, lua.LNil)
	}
	return push(L, lua.LString(s))
}

// callDTMF implements call:dtmf(digits): digits the caller types ahead;
// see the package documentation for when they are delivered.
func callDTMF(c *simCall, L *lua.LState) int {
	digits := L.CheckString(2)
	c.w.hooks.update(c.call.UUID(), func(ch *callHooks) { ch.typeAhead = append(ch.typeAhead, []rune(digits)...) })
	return 0
}

// callOnPrompt implements call:on_prompt(file, digits).
func callOnPrompt(c *simCall, L *lua.LState) int {
	file, digits := L.CheckString(2), L.CheckString(3)
	c.w.hooks.update(c.call.UUID(), func(ch *callHooks) { ch.prompts = append(ch.prompts, promptRule{file, digits}) })
	return 0
}

// callHangupOn implements call:hangup_on(app[, n[, cause]]).
func callHangupOn(c *simCall, L *lua.LState) int {
	app, n, cause := L.CheckString(2), L.OptInt(3, 1), L.OptString(4, "")
	c.w.hooks.update(c.call.UUID(), func(ch *callHooks) {
		ch.hangOn[app] = n
		ch.setCause(cause)
	})
	return 0
}

// callHangupAfter implements call:hangup_after(app[, n[, cause]]).
func callHangupAfter(c *simCall, L *lua.LState) int {
	app, n, cause := L.CheckString(2), L.OptInt(3, 1), L.OptString(4, "")
	c.w.hooks.update(c.call.UUID(), func(ch *callHooks) {
		ch.hangAfter[app] = n
		ch.setCause(cause)
	})
	return 0
}

// callHangupOnPrompt implements call:hangup_on_prompt(file[, cause]).
func callHangupOnPrompt(c *simCall, L *lua.LState) int {
	file, cause := L.CheckString(2), L.OptString(3, "")
	c.w.hooks.update(c.call.UUID(), func(ch *callHooks) {
		ch.hangPrompt = append(ch.hangPrompt, file)
		ch.setCause(cause)
	})
	return 0
}

// setCause sets the cause of planned hangups ("" keeps it).
func (ch *callHooks) setCause(cause string) {
	if cause != "" {
		ch.cause = strings.ToUpper(cause)
	}
}

// callHangup implements call:hangup([cause]): the caller hangs up now.
func callHangup(c *simCall, L *lua.LState) int {
	c.call.Hangup(strings.ToUpper(L.OptString(2, "NORMAL_CLEARING")))
	return 0
}

// callRun implements call:run([{allow_error=true}]) -> result, err. It
// raises when the session script raised, unless allow_error is set.
func callRun(c *simCall, L *lua.LState) int {
	opts := L.OptTable(2, L.NewTable())
	raiseIf(L, c.run())
	if c.errMsg != "" && opts.RawGetString("allow_error") != lua.LTrue {
		L.RaiseError("session script %s failed: %s", c.script, c.errMsg)
	}
	L.Push(lua.LString(c.cause))
	return 1 + pushOpt(L, c.errMsg)
}

// callApps implements call:apps(): {{app=, arg=, raw=, response=}, ...}.
func callApps(c *simCall, L *lua.LState) int {
	out := L.NewTable()
	for _, a := range c.apps() {
		t := L.NewTable()
		t.RawSetString("app", lua.LString(a.app))
		t.RawSetString("arg", lua.LString(a.arg))
		t.RawSetString("raw", lua.LString(a.raw))
		t.RawSetString("response", lua.LString(a.response))
		out.Append(t)
	}
	return push(L, out)
}

// callAppNames implements call:app_names(): {"answer", "playback", ...}.
func callAppNames(c *simCall, L *lua.LState) int {
	var names []string
	for _, a := range c.apps() {
		names = append(names, a.app)
	}
	return push(L, stringList(L, names))
}

// callEvent implements call:event(name[, headers[, body]]): a channel
// event of this call (channel data and caller profile filled in) fed to
// the consumer handlers.
func callEvent(c *simCall, L *lua.LState) int {
	ev := c.w.sim.ChannelEvent(c.call, L.CheckString(2))
	for _, h := range headerList(L.OptTable(3, L.NewTable())) {
		ev.Set(h[0], h[1])
	}
	if body := L.OptString(4, ""); body != "" {
		ev.SetBody(body)
	}
	n, failed, err := c.w.fire(ev)
	raiseIf(L, err)
	raiseHandlerFailures(L, failed)
	return push(L, lua.LNumber(n))
}

// mapTable converts a map to a Lua table.
func mapTable(L *lua.LState, m map[string]string) *lua.LTable {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t := L.NewTable()
	for _, k := range keys {
		t.RawSetString(k, lua.LString(m[k]))
	}
	return t
}
