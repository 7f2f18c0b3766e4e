package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// freeswitch.consoleLog2, freeswitch.DTMF and freeswitch.Stream.

const fsStreamTypeName = "eslscript.freeswitch.Stream"

// fsConsoleLog2 implements consoleLog2(level, file, func, line, msg):
// consoleLog, the source position left out.
func fsConsoleLog2(L *lua.LState, rt *Runtime) int {
	name, lvl := fsLevel(L.CheckString(1))
	fsLog(rt, rt.scope, lvl, L.OptString(5, ""), name)
	return 0
}

// fsNewDTMF implements freeswitch.DTMF(digit[, duration]): a table with
// digit and duration (in samples, FreeSWITCH's default 2000), as the
// input callback's digits.
func fsNewDTMF(L *lua.LState) int {
	t := L.CreateTable(0, 2)
	t.RawSetString("digit", lua.LString(L.CheckString(1)))
	t.RawSetString("duration", lua.LNumber(optInt(L, 2, defaultDTMFDuration)))
	L.Push(t)
	return 1
}

// fsStream is freeswitch.Stream(): a buffer a script writes to (mod_lua's
// scripts run by the lua api write their output there).
type fsStream struct{ b strings.Builder }

// fsNewStream implements freeswitch.Stream() with write(str),
// raw_write(str, len), read() -> data, len, and get_data().
func fsNewStream(L *lua.LState) int {
	ud := L.NewUserData()
	ud.Value = &fsStream{}
	L.SetMetatable(ud, methodsMetatable(L, fsStreamTypeName, map[string]lua.LGFunction{
		"write":     fsStreamWrite,
		"raw_write": fsStreamRawWrite,
		"read":      fsStreamRead,
		"get_data":  fsStreamGetData,
	}))
	L.Push(ud)
	return 1
}

func checkStream(L *lua.LState) *fsStream {
	if s, ok := L.CheckUserData(1).Value.(*fsStream); ok {
		return s
	}
	L.ArgError(1, "freeswitch.Stream expected")
	return nil
}

func fsStreamWrite(L *lua.LState) int {
	checkStream(L).b.WriteString(L.CheckString(2))
	return 0
}

func fsStreamRawWrite(L *lua.LState) int {
	s, data := checkStream(L), L.CheckString(2)
	n := min(max(optInt(L, 3, len(data)), 0), len(data))
	s.b.WriteString(data[:n])
	return 0
}

func fsStreamRead(L *lua.LState) int {
	s := checkStream(L)
	L.Push(lua.LString(s.b.String()))
	L.Push(lua.LNumber(s.b.Len()))
	return 2
}

func fsStreamGetData(L *lua.LState) int {
	L.Push(lua.LString(checkStream(L).b.String()))
	return 1
}
