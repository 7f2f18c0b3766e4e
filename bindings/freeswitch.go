package bindings

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// The freeswitch module speaks mod_lua's `freeswitch.*` names, so that
// existing mod_lua scripts run unchanged. The host also sets it as the
// global `freeswitch` of mod_lua-style call scripts.
//
//	freeswitch.consoleLog(level, msg)     console_log: to the host log
//	freeswitch.consoleCleanLog(msg)       console_clean_log: debug level
//	freeswitch.msleep(ms)                 sleeps (not cut short by a hangup)
//	freeswitch.API() -> api               api:execute(cmd[, args]),
//	                                      api:executeString("cmd args"),
//	                                      api:getTime()
//	freeswitch.getGlobalVariable(name)    api global_getvar; nil if unset
//	freeswitch.setGlobalVariable(n, v)    api global_setvar n=v
//	freeswitch.running() -> bool          a FreeSWITCH connection exists
//	freeswitch.Event(type[, subclass])    an event to build and fire()
//	freeswitch.Session(str[, a_leg])      a call leg: attach to uuid str,
//	                                      or originate dial string str
//	                                      (alias CoreSession); without
//	                                      str an empty leg for
//	                                      sess:originate(a_leg, dest, t)
//	freeswitch.bridge(a, b)               uuid_bridge, blocks until the
//	                                      bridge ends
//	freeswitch.EventConsumer(...)         an event queue: bind, pop,
//	                                      cleanup (freeswitch_consumer.go)
//	freeswitch.IVRMenu(...)               mod_lua's menu engine, on the
//	                                      host (freeswitch_ivrmenu.go)
//	freeswitch.consoleLog2, DTMF, Stream  (freeswitch_more.go)
//
// Commands go through the run's commander: the call's own socket in a call, the
// node of the event or the default node elsewhere; each call leg has an
// inbound connection of its own (see freeswitch_session.go). What has no
// ESL equivalent (Dbh, email, JSON) raises "freeswitch.X is not supported
// by eslscript: <why; what to use instead>".
func openFreeswitch(L *lua.LState, rt *Runtime) *lua.LTable {
	mod := funcTable(L, map[string]lua.LGFunction{
		"consoleLog":        func(L *lua.LState) int { return fsConsoleLog(L, rt) },
		"consoleCleanLog":   func(L *lua.LState) int { return fsCleanLog(L, rt) },
		"msleep":            func(L *lua.LState) int { return fsMsleep(L, rt) },
		"API":               func(L *lua.LState) int { return fsNewAPI(L, rt) },
		"getGlobalVariable": func(L *lua.LState) int { return fsGetGlobal(L, rt) },
		"setGlobalVariable": func(L *lua.LState) int { return fsSetGlobal(L, rt) },
		"running":           func(L *lua.LState) int { L.Push(lua.LBool(rt.scope.esl != nil)); return 1 },
		"Event":             func(L *lua.LState) int { return fsNewEvent(L, rt) },
		"Session":           func(L *lua.LState) int { return fsNewSession(L, rt) },
		"bridge":            func(L *lua.LState) int { return fsBridge(L, rt) },
		"EventConsumer":     func(L *lua.LState) int { return fsNewConsumer(L, rt) },
		"IVRMenu":           func(L *lua.LState) int { return fsNewIVRMenu(L, rt) },
		"consoleLog2":       func(L *lua.LState) int { return fsConsoleLog2(L, rt) },
		"DTMF":              fsNewDTMF,
		"Stream":            fsNewStream,
	})
	mod.RawSetString("CoreSession", mod.RawGetString("Session"))
	for _, alias := range [][2]string{{"console_log", "consoleLog"}, {"console_clean_log", "consoleCleanLog"},
		{"console_log2", "consoleLog2"}} {
		mod.RawSetString(alias[0], mod.RawGetString(alias[1]))
	}
	for name, why := range fsUnsupported {
		mod.RawSetString(name, L.NewFunction(unsupported(name, why)))
	}
	for name, v := range map[string]int{"S_HUP": 1, "S_FREE": 2, "S_RDLOCK": 4} {
		mod.RawSetString(name, lua.LNumber(v))
	}
	return mod
}

// fsUnsupported names the mod_lua functions and classes with no ESL
// path, and why.
var fsUnsupported = map[string]string{
	"Dbh": "FreeSWITCH's database handles are not reachable over ESL; keep shared state with require(\"kv\"), " +
		"or read FreeSWITCH's own data with freeswitch.API() (db, hash, show ...)",
	"email": "FreeSWITCH's mailer is not reachable over ESL; run a mailer with os.execute (sandbox allow_os) " +
		"or FreeSWITCH's system api",
	"JSON": "use require(\"json\") (encode, decode), and freeswitch.API():execute(\"json\", ...) for FreeSWITCH's json api",
}

// unsupported returns a function raising the not-supported error.
func unsupported(name, why string) lua.LGFunction {
	return func(L *lua.LState) int {
		L.RaiseError("freeswitch.%s is not supported by eslscript: %s", name, why)
		return 0
	}
}

// fsLevelNames are FreeSWITCH's log levels in the order of their numbers
// (switch_log_level_t: 0 console ... 7 debug).
var fsLevelNames = [...]string{"console", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// fsSlogLevels are the slog levels of fsLevelNames.
var fsSlogLevels = [...]slog.Level{slog.LevelInfo, slog.LevelError, slog.LevelError, slog.LevelError,
	slog.LevelWarn, slog.LevelInfo, slog.LevelInfo, slog.LevelDebug}

// fsLevel reads a level as consoleLog does (switch_log_str2level): one of
// fsLevelNames in any case, or a number (0 to 7, more is debug); anything
// else ("error", "warn", "") is debug. It returns the level's FreeSWITCH
// name and its slog level.
func fsLevel(s string) (string, slog.Level) {
	s = strings.TrimSpace(s)
	n := len(fsLevelNames) - 1
	if x, err := strconv.Atoi(s); err == nil {
		n = min(max(x, 0), n)
	} else {
		for i, name := range fsLevelNames {
			if strings.EqualFold(name, s) {
				n = i
			}
		}
	}
	return fsLevelNames[n], fsSlogLevels[n]
}

// fsConsoleLog implements consoleLog(level, msg).
func fsConsoleLog(L *lua.LState, rt *Runtime) int {
	name, lvl := fsLevel(L.CheckString(1))
	fsLog(rt, rt.scope, lvl, L.OptString(2, ""), name)
	return 0
}

// fsCleanLog implements consoleCleanLog(msg).
func fsCleanLog(L *lua.LState, rt *Runtime) int {
	fsLog(rt, rt.scope, slog.LevelDebug, L.CheckString(1), "clean")
	return 0
}

// fsLog writes one console line (without its trailing newline) with the
// script's name, sc's call and node and the FreeSWITCH level name.
func fsLog(rt *Runtime, sc Scope, lvl slog.Level, msg, fsLevelName string) {
	lg, ctx := rt.logger(), context.Background()
	if !lg.Enabled(ctx, lvl) {
		return
	}
	attrs := runAttrs(rt.Script, sc, make([]slog.Attr, 0, 4))
	attrs = append(attrs, slog.String("fs_level", fsLevelName))
	lg.LogAttrs(ctx, lvl, strings.TrimRight(msg, "\r\n"), attrs...)
}

// fsMsleep implements msleep(ms): it sleeps on the runtime's clock
// without blocking other calls, runs the state's loop callbacks
// meanwhile, and returns early only when the handler's context ends (its
// budget ran out); as under mod_lua, a call's hangup does not end it.
func fsMsleep(L *lua.LState, rt *Runtime) int {
	ms := argInt(L, 1)
	if ms <= 0 {
		return 0
	}
	_ = block(L, rt, nil, rt.clock().After(time.Duration(ms)*time.Millisecond))
	return 0
}

// fsGetGlobal implements getGlobalVariable(name): nil when unset or on
// failure.
func fsGetGlobal(L *lua.LState, rt *Runtime) int {
	name := L.CheckString(1)
	if rt.scope.esl == nil {
		L.Push(lua.LNil)
		return 1
	}
	out, err := rt.scope.esl.API(rt.ctx(), "global_getvar "+name)
	if err != nil || out == "" || out == "_undef_" {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(out))
	return 1
}

// fsSetGlobal implements setGlobalVariable(name, value).
func fsSetGlobal(L *lua.LState, rt *Runtime) int {
	name, val := L.CheckString(1), optStr(L, 2, "")
	if rt.scope.esl != nil {
		_, _ = rt.scope.esl.API(rt.ctx(), "global_setvar "+name+"="+val)
	}
	return 0
}
