package host

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.3 in mod_lua-style scripts.
//
// FreeSWITCH's mod_lua runs Lua 5.3; eslscript's Lua (gopher-lua) is Lua
// 5.1. openLua53 gives mod_lua-style states what 5.3 scripts use that 5.1
// lacks and costs little: table.unpack, table.pack, table.move,
// math.type, math.tointeger, math.maxinteger, math.mininteger, math.ult,
// the utf8 library (lua53_utf8.go), numeric strings where Lua coerces
// them (math.random("3"), string.sub(s, "2")), math.random and
// math.randomseed as Lua 5.3 on Linux computes them (lua53_random.go:
// one seed gives mod_lua's numbers), io.write and os.execute as mod_lua
// scripts use them (lua53_os.go); numeric for loops with string bounds
// are coerced at compile time (lua53_for.go). Out of reach: the integer
// subtype (a number is a float64: 5.3 prints 10/2 as 5.0, eslscript as
// 5), the // and bitwise operators (a syntax error at load), and
// string.pack. The Lua 5.1 functions 5.3 dropped (unpack, table.getn,
// loadstring, setfenv, math.mod...) stay.
func openLua53(L *lua.LState, sb Sandbox) {
	tbl := libTable(L, lua.TabLibName)
	mth := libTable(L, lua.MathLibName)
	str := libTable(L, lua.StringLibName)
	L.SetFuncs(tbl, map[string]lua.LGFunction{"pack": tablePack, "move": tableMove})
	tbl.RawSetString("unpack", L.GetGlobal("unpack"))
	L.SetFuncs(mth, map[string]lua.LGFunction{"type": mathType, "tointeger": mathToInteger, "ult": mathUlt})
	mth.RawSetString("maxinteger", lua.LNumber(math.MaxInt64))
	mth.RawSetString("mininteger", lua.LNumber(math.MinInt64))
	openRandom(L, mth)
	L.SetGlobal("utf8", utf8Lib(L))
	for _, c := range []struct {
		lib  *lua.LTable
		name string
		args []int // argument positions Lua coerces to numbers (0: all)
	}{
		{str, "sub", []int{2, 3}}, {str, "byte", []int{2, 3}}, {str, "char", []int{0}}, {str, "rep", []int{2}},
		{tbl, "insert", []int{2}}, {tbl, "remove", []int{2}}, {tbl, "concat", []int{3, 4}},
		{tbl, "unpack", []int{2, 3}}, {mth, "ldexp", []int{2}},
	} {
		coerceArgs(L, c.lib, c.name, c.args)
	}
	L.SetGlobal("unpack", tbl.RawGetString("unpack"))
	coerceFormat(L, str)
	openLua53OS(L, sb)
}

// coerceFormat wraps string.format so that a numeric string given to a
// numeric conversion (%d, %5.2f, %x...) is read as its number, as Lua's
// luaL_checknumber does.
func coerceFormat(L *lua.LState, str *lua.LTable) {
	fn, ok := str.RawGetString("format").(*lua.LFunction)
	if !ok || !fn.IsG {
		return
	}
	orig := fn.GFunction
	str.RawSetString("format", L.NewFunction(func(L *lua.LState) int {
		if f, ok := L.Get(1).(lua.LString); ok {
			for _, pos := range numericConversions(string(f)) {
				if s, ok := L.Get(pos).(lua.LString); ok {
					if n, ok := numericString(string(s)); ok {
						L.Replace(pos, n)
					}
				}
			}
		}
		return orig(L)
	}))
}

// numericConversions returns the argument positions (from 2) that the
// numeric conversions of a string.format format consume.
func numericConversions(f string) []int {
	var out []int
	arg := 1
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			continue
		}
		for i < len(f) && strings.IndexByte("-+ #0123456789.", f[i]) >= 0 {
			i++
		}
		if i >= len(f) {
			break
		}
		arg++
		if strings.IndexByte("dicxXouaAeEfgG", f[i]) >= 0 {
			out = append(out, arg)
		}
	}
	return out
}

// coerceArgs wraps the Go function lib[name] so that numeric strings at
// the given argument positions (0: every argument) become numbers first,
// as Lua's luaL_checkinteger accepts them.
func coerceArgs(L *lua.LState, lib *lua.LTable, name string, args []int) {
	fn, ok := lib.RawGetString(name).(*lua.LFunction)
	if !ok || !fn.IsG {
		return
	}
	orig := fn.GFunction
	lib.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
		for i := 1; i <= L.GetTop(); i++ {
			if args[0] == 0 || containsInt(args, i) {
				if s, ok := L.Get(i).(lua.LString); ok {
					if n, ok := numericString(string(s)); ok {
						L.Replace(i, n)
					}
				}
			}
		}
		return orig(L)
	}))
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// numericString converts a string Lua would read as a number (decimal,
// with exponent, or 0x hexadecimal; blanks around it).
func numericString(s string) (lua.LNumber, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	h := strings.TrimPrefix(s, "-")
	if strings.HasPrefix(h, "0x") || strings.HasPrefix(h, "0X") {
		n, err := strconv.ParseUint(h[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		if neg {
			return lua.LNumber(-float64(n)), true
		}
		return lua.LNumber(n), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "nN_") { // no inf, nan, 1_000
		return 0, false
	}
	return lua.LNumber(f), true
}

// argNumber is argument n as a number, numeric strings included.
func argNumber(L *lua.LState, n int) (lua.LNumber, bool) {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return v, true
	case lua.LString:
		return numericString(string(v))
	}
	return 0, false
}

// isWhole reports whether n has an integer value that an int64 holds.
func isWhole(n lua.LNumber) bool {
	f := float64(n)
	return f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64
}

// mathType implements math.type(x): "integer" for a number with an
// integer value, "float" for another number, nil otherwise (eslscript
// cannot tell 1.0 from 1: both are "integer").
func mathType(L *lua.LState) int {
	n, ok := L.CheckAny(1).(lua.LNumber)
	switch {
	case !ok:
		L.Push(lua.LNil)
	case isWhole(n):
		L.Push(lua.LString("integer"))
	default:
		L.Push(lua.LString("float"))
	}
	return 1
}

// mathToInteger implements math.tointeger(x): x when it has an integer
// value, else nil.
func mathToInteger(L *lua.LState) int {
	if n, ok := argNumber(L, 1); ok && isWhole(n) {
		L.Push(n)
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// mathUlt implements math.ult(m, n): m < n as unsigned integers.
func mathUlt(L *lua.LState) int {
	m, n := int64(L.CheckNumber(1)), int64(L.CheckNumber(2))
	L.Push(lua.LBool(uint64(m) < uint64(n)))
	return 1
}

// tablePack implements table.pack(...): the arguments with n set.
func tablePack(L *lua.LState) int {
	n := L.GetTop()
	t := L.CreateTable(n, 1)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, L.Get(i))
	}
	t.RawSetString("n", lua.LNumber(n))
	L.Push(t)
	return 1
}

// tableMove implements table.move(a1, f, e, t[, a2]): a2[t..] = a1[f..e],
// returning a2 (a1 by default).
func tableMove(L *lua.LState) int {
	a1 := L.CheckTable(1)
	f, e, t := L.CheckInt(2), L.CheckInt(3), L.CheckInt(4)
	a2 := a1
	if L.GetTop() >= 5 {
		a2 = L.CheckTable(5)
	}
	if e >= f {
		if t > e || t <= f || a1 != a2 {
			for i := 0; i <= e-f; i++ {
				a2.RawSetInt(t+i, a1.RawGetInt(f+i))
			}
		} else {
			for i := e - f; i >= 0; i-- {
				a2.RawSetInt(t+i, a1.RawGetInt(f+i))
			}
		}
	}
	L.Push(a2)
	return 1
}
