package bindings

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Argument helpers. They follow mod_lua's SWIG conventions: integer
// parameters accept numbers and numeric strings (truncated to int), string
// parameters accept strings and numbers, and a missing optional argument
// takes its default. A wrong type raises (misuse).

// argInt returns argument n as an int, accepting numeric strings.
func argInt(L *lua.LState, n int) int {
	v := L.Get(n)
	if i, ok := toInt(v); ok {
		return i
	}
	L.TypeError(n, lua.LTNumber)
	return 0
}

// optInt is argInt with a default for nil or a missing argument.
func optInt(L *lua.LState, n, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return argInt(L, n)
}

// toInt converts a number or a numeric string.
func toInt(v lua.LValue) (int, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return int(x), true
	case lua.LString:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		if err != nil {
			return 0, false
		}
		return int(f), true
	}
	return 0, false
}

// optStr is argStr with a default for nil or a missing argument.
func optStr(L *lua.LState, n int, def string) string {
	if L.Get(n) == lua.LNil {
		return def
	}
	return L.CheckString(n)
}

// optMillis reads an optional millisecond count; negative values raise.
func optMillis(L *lua.LState, n int) (ms int, given bool) {
	if L.Get(n) == lua.LNil {
		return 0, false
	}
	ms = argInt(L, n)
	if ms < 0 {
		L.ArgError(n, "negative milliseconds")
	}
	return ms, true
}

// failure pushes nil and an error text: the runtime-failure result.
func failure(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}
