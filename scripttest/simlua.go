package scripttest

import (
	"path"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// installSim makes the sim module available to the test file, as the
// global `sim` and as require("sim").
func (r *fileRunner) installSim() {
	L := r.L
	mod := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"call":     r.luaCall,
		"api":      r.luaAPI,
		"app":      r.luaApp,
		"commands": r.luaCommands,
		"event":    r.luaEvent,
		"fired":    r.luaFired,
		"logs":     r.luaLogs,
		"errors":   r.luaErrors,
		"advance":  r.luaAdvance,
		"settle":   r.luaSettle,
		"wait":     r.luaWait,
		"now":      r.luaNow,
		"script":   func(L *lua.LState) int { L.Push(lua.LString(r.script)); return 1 },
	})
	mod.RawSetString("kv", r.kvTable())
	L.SetGlobal("sim", mod)
	L.PreloadModule("sim", func(L *lua.LState) int { L.Push(mod); return 1 })
	registerCallType(L, r)
}

// cur returns the running test's world or raises.
func (r *fileRunner) cur(L *lua.LState) *world {
	if r.world == nil {
		L.RaiseError("%s", errWorld.Error())
	}
	return r.world
}

// raiseIf raises err (with the caller's position) when not nil.
func raiseIf(L *lua.LState, err error) {
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
}

// resolveScript maps a script name given by a test to the host's name:
// relative to the test file's directory first, then as given.
func (r *fileRunner) resolveScript(L *lua.LState, w *world, name string) string {
	if name == "" {
		name = path.Base(r.script)
	}
	for _, cand := range []string{path.Join(path.Dir(r.script), name), name} {
		if s := w.gen.Script(cand); s != nil && s.Session {
			return cand
		}
	}
	var names []string
	for _, s := range w.gen.Scripts() {
		if s.Session {
			names = append(names, s.Name)
		}
	}
	L.RaiseError("sim.call: no session script %q (session scripts: %s)", name, strings.Join(names, ", "))
	return ""
}

// luaCall implements sim.call{script=, caller=, caller_name=,
// destination=, vars={}} -> call.
func (r *fileRunner) luaCall(L *lua.LState) int {
	w := r.cur(L)
	opts := L.OptTable(1, L.NewTable())
	sp := callSpec{
		script:      r.resolveScript(L, w, optField(opts, "script")),
		caller:      orString(optField(opts, "caller"), "1000"),
		callerName:  orString(optField(opts, "caller_name"), "Test Caller"),
		destination: orString(optField(opts, "destination"), "5000"),
		vars:        stringMap(opts.RawGetString("vars")),
	}
	L.Push(newCallValue(L, w.newCall(sp)))
	return 1
}

// luaAPI implements sim.api(name, reply | function(args) return reply end).
func (r *fileRunner) luaAPI(L *lua.LState) int {
	w := r.cur(L)
	name := L.CheckString(1)
	switch v := L.Get(2).(type) {
	case lua.LString:
		reply := string(v)
		for _, s := range w.sims() {
			s.HandleAPI(name, func(string) string { return reply })
		}
	case *lua.LFunction:
		for _, s := range w.sims() {
			s.HandleAPI(name, r.luaAPIFunc(w, v))
		}
	default:
		L.ArgError(2, "a reply string or a function")
	}
	return 0
}

// luaAPIFunc adapts a Lua reply function: it runs on the test goroutine.
func (r *fileRunner) luaAPIFunc(w *world, fn *lua.LFunction) func(string) string {
	return func(args string) string {
		var out string
		ok := w.onTestGoroutine(func() {
			if err := r.L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, lua.LString(args)); err != nil {
				out = "-ERR test api handler failed: " + err.Error()
				return
			}
			out = lua.LVAsString(r.L.Get(-1))
			r.L.Pop(1)
		})
		if !ok {
			return "-ERR test ended"
		}
		return out
	}
}

// luaCommands implements sim.commands([pattern]): the api and bgapi
// commands sent so far (lines without "api "), optionally those matching
// a Lua pattern.
func (r *fileRunner) luaCommands(L *lua.LState) int {
	w := r.cur(L)
	pat := L.OptString(1, "")
	out := L.NewTable()
	for _, c := range w.apiCommands() {
		if pat == "" || luaFind(L, c, pat) {
			out.Append(lua.LString(c))
		}
	}
	L.Push(out)
	return 1
}

// luaFind reports whether string.find(s, pat) matches.
func luaFind(L *lua.LState, s, pat string) bool {
	find := L.GetField(L.GetGlobal("string"), "find")
	L.Push(find)
	L.Push(lua.LString(s))
	L.Push(lua.LString(pat))
	L.Call(2, 1)
	v := L.Get(-1)
	L.Pop(1)
	return v != lua.LNil
}

// luaEvent implements sim.event(name[, headers[, body]]) -> handler runs.
// It raises when a handler failed.
func (r *fileRunner) luaEvent(L *lua.LState) int {
	w := r.cur(L)
	ev := w.newEvent(L.CheckString(1), headerList(L.OptTable(2, L.NewTable())), L.OptString(3, ""))
	n, failed, err := w.fire(ev)
	raiseIf(L, err)
	raiseHandlerFailures(L, failed)
	L.Push(lua.LNumber(n))
	return 1
}

// raiseHandlerFailures raises the first failed handler run.
func raiseHandlerFailures(L *lua.LState, failed []handlerFailure) {
	if len(failed) > 0 {
		f := failed[0]
		L.RaiseError("handler %s of script %s failed: %s", f.handler, f.script, f.err)
	}
}

// luaFired implements sim.fired(): the events the scripts sent with
// sendevent (esl.sendevent, esl.fire), in order.
func (r *fileRunner) luaFired(L *lua.LState) int {
	w := r.cur(L)
	out := L.NewTable()
	for _, c := range w.commands() {
		if c.Name() != "sendevent" {
			continue
		}
		t := L.NewTable()
		t.RawSetString("name", lua.LString(c.Arg()))
		hdrs := L.NewTable()
		for _, h := range c.Headers {
			if !strings.EqualFold(h.Name, "Content-Length") {
				hdrs.RawSetString(h.Name, lua.LString(h.Value))
			}
			if h.Name == "Event-Subclass" {
				t.RawSetString("subclass", lua.LString(h.Value))
			}
		}
		t.RawSetString("headers", hdrs)
		t.RawSetString("body", lua.LString(c.Body))
		out.Append(t)
	}
	L.Push(out)
	return 1
}

// luaLogs implements sim.logs([level]): the lines the scripts logged,
// each {level=, msg=, script=, call=, <fields>...}.
func (r *fileRunner) luaLogs(L *lua.LState) int {
	w := r.cur(L)
	want := L.OptString(1, "")
	out := L.NewTable()
	for _, l := range w.logs.all() {
		lvl := strings.ToLower(l.level.String())
		if !l.fromScript() || (want != "" && want != lvl) {
			continue
		}
		t := L.NewTable()
		for _, a := range l.fields {
			t.RawSetString(a.Key, lua.LString(a.Value.String()))
		}
		t.RawSetString("level", lua.LString(lvl))
		t.RawSetString("msg", lua.LString(l.msg))
		out.Append(t)
	}
	L.Push(out)
	return 1
}

// luaErrors implements sim.errors(): every failed handler, init, timer,
// callback or session run, {script=, handler=, error=, call=, callback=}
// (call: the call uuid when known; callback: "timer" or "bgapi" for a
// callback's error).
func (r *fileRunner) luaErrors(L *lua.LState) int {
	w := r.cur(L)
	out := L.NewTable()
	for _, l := range w.logs.all() {
		e, ok := l.field("error")
		h, _ := l.field("handler")
		if !ok || h == "" || !strings.HasPrefix(l.msg, "host: ") {
			continue
		}
		s, _ := l.field("script")
		t := L.NewTable()
		t.RawSetString("script", lua.LString(s))
		t.RawSetString("handler", lua.LString(h))
		t.RawSetString("error", lua.LString(e))
		for _, k := range []string{"call", "callback"} {
			if v, ok := l.field(k); ok {
				t.RawSetString(k, lua.LString(v))
			}
		}
		out.Append(t)
	}
	L.Push(out)
	return 1
}

// luaAdvance implements sim.advance(ms): virtual time moves forward,
// firing due timers and timeouts in order.
func (r *fileRunner) luaAdvance(L *lua.LState) int {
	w := r.cur(L)
	ms := L.CheckNumber(1)
	if ms < 0 {
		L.ArgError(1, "must not be negative")
	}
	failed := w.obs.failureCount()
	raiseIf(L, w.advance(time.Duration(float64(ms)*float64(time.Millisecond))))
	raiseHandlerFailures(L, w.obs.failures(failed))
	return 0
}

// luaSettle implements sim.settle(): wait until the scripts are idle.
func (r *fileRunner) luaSettle(L *lua.LState) int {
	raiseIf(L, r.cur(L).settle())
	return 0
}

// luaNow implements sim.now(): virtual milliseconds since the test began.
func (r *fileRunner) luaNow(L *lua.LState) int {
	w := r.cur(L)
	L.Push(lua.LNumber(w.clock.Now().Sub(virtualEpoch).Milliseconds()))
	return 1
}

// kvTable returns sim.kv: get, set, del, incr, keys on the test's kv
// (the kv module's names; set takes a ttl in milliseconds).
func (r *fileRunner) kvTable() *lua.LTable {
	return r.L.SetFuncs(r.L.NewTable(), map[string]lua.LGFunction{
		"get": func(L *lua.LState) int {
			if v, ok := r.cur(L).kv.Get(L.CheckString(1)); ok {
				L.Push(lua.LString(v))
				return 1
			}
			L.Push(lua.LNil)
			return 1
		},
		"set": func(L *lua.LState) int {
			ttl := time.Duration(L.OptNumber(3, 0)) * time.Millisecond
			r.cur(L).kv.Set(L.CheckString(1), L.CheckString(2), ttl)
			return 0
		},
		"del": func(L *lua.LState) int { r.cur(L).kv.Delete(L.CheckString(1)); return 0 },
		"incr": func(L *lua.LState) int {
			n, err := r.cur(L).kv.Incr(L.CheckString(1), int64(L.OptNumber(2, 1)), 0)
			raiseIf(L, err)
			L.Push(lua.LNumber(n))
			return 1
		},
		"keys": func(L *lua.LState) int {
			keys := r.cur(L).kv.Keys(L.OptString(1, ""))
			sort.Strings(keys)
			L.Push(stringList(L, keys))
			return 1
		},
	})
}

// apiCommands returns the api and bgapi command lines sent to the
// simulator (without the "api "/"bgapi " word), the runner's own excluded.
func (w *world) apiCommands() []string {
	var out []string
	for _, c := range w.commands() {
		if (c.Name() == "api" || c.Name() == "bgapi") && c.Arg() != fenceCmd {
			out = append(out, c.Arg())
		}
	}
	return out
}

// optField returns a string field of t ("" when absent).
func optField(t *lua.LTable, k string) string {
	v := t.RawGetString(k)
	if v == lua.LNil {
		return ""
	}
	return lua.LVAsString(v)
}

// stringMap converts a Lua table of strings (or nil) to a map.
func stringMap(v lua.LValue) map[string]string {
	m := map[string]string{}
	if t, ok := v.(*lua.LTable); ok {
		t.ForEach(func(k, v lua.LValue) { m[lua.LVAsString(k)] = lua.LVAsString(v) })
	}
	return m
}

// headerList converts a headers table into name/value pairs sorted by name.
func headerList(t *lua.LTable) [][2]string {
	var hs [][2]string
	t.ForEach(func(k, v lua.LValue) { hs = append(hs, [2]string{lua.LVAsString(k), lua.LVAsString(v)}) })
	sort.Slice(hs, func(i, j int) bool { return hs[i][0] < hs[j][0] })
	return hs
}

// stringList converts strings to a Lua array.
func stringList(L *lua.LState, ss []string) *lua.LTable {
	t := L.CreateTable(len(ss), 0)
	for _, s := range ss {
		t.Append(lua.LString(s))
	}
	return t
}
