package bindings

import (
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// strRep implements string.rep(s, n) within the string limit.
func strRep(L *lua.LState) int {
	s, n := L.CheckString(1), L.CheckInt(2)
	if n <= 0 || s == "" {
		L.Push(lua.LString(""))
		return 1
	}
	if limit := stringLimit(L); n > limit/len(s) {
		size := limit + 1 // the product may not fit an int
		if n <= maxInt/len(s) {
			size = n * len(s)
		}
		tooLong(L, "string.rep", size, limit)
	}
	L.Push(lua.LString(strings.Repeat(s, n)))
	return 1
}

const maxInt = int(^uint(0) >> 1)

// formatItemMax bounds the text of one format item but for the length of
// its argument: a width or precision has at most 2 digits, and a number
// is at most 309 digits long before its fraction.
const formatItemMax = 512

// limitFormat wraps gopher-lua's string.format: as in Lua, a width or
// precision has at most two digits, and a result that could pass the
// string limit is refused before it is built.
func limitFormat(orig lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		format := L.CheckString(1)
		if size := formatSize(L, format); size > stringLimit(L) {
			tooLong(L, "string.format", size, stringLimit(L))
		}
		return orig(L)
	}
}

// formatSize checks the format's items and returns a bound of the result.
func formatSize(L *lua.LState, format string) int {
	size, arg := len(format), 2
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		i = formatSpec(L, format, i)
		size += formatItemMax
		if v, ok := L.Get(arg).(lua.LString); ok {
			size += 2 * len(v) // %q may escape every byte
		}
		arg++
	}
	return size
}

// formatSpec skips the flags, width and precision of the item at i and
// returns the offset of its conversion.
func formatSpec(L *lua.LState, format string, i int) int {
	start := i
	for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
		i++
	}
	if i-start > 5 {
		L.RaiseError("invalid format (repeated flags)")
	}
	i = formatDigits(L, format, i)
	if i < len(format) && format[i] == '.' {
		i = formatDigits(L, format, i+1)
	}
	if i < len(format) && (format[i] == '*' || format[i] == '[') {
		L.RaiseError("invalid format (%%%c: width or argument from the arguments)", format[i])
	}
	return i
}

func formatDigits(L *lua.LState, format string, i int) int {
	n := 0
	for i < len(format) && isDigit(format[i]) {
		i++
		n++
	}
	if n > 2 {
		L.RaiseError("invalid format (width or precision too long)")
	}
	return i
}

// limitTable replaces table.concat and table.sort.
func limitTable(L *lua.LState) {
	mod, ok := L.GetGlobal(lua.TabLibName).(*lua.LTable)
	if !ok {
		return
	}
	mod.RawSetString("concat", L.NewFunction(tabConcat))
	mod.RawSetString("sort", L.NewFunction(tabSort))
}

// tabConcat implements table.concat(t[, sep[, i[, j]]]) as gopher-lua
// does (i and j are clamped to 1..#t), within the string limit and the
// budget.
func tabConcat(L *lua.LState) int {
	t := L.CheckTable(1)
	sep := L.OptString(2, "")
	n := t.Len()
	i, j := L.OptInt(3, 1), L.OptInt(4, n)
	if L.GetTop() == 3 && (i > n || i < 1) {
		L.Push(lua.LString(""))
		return 1
	}
	i, j = max(min(i, n), 1), min(j, n)
	out, poll := newStrBuf(L, "table.concat"), newPoller(L)
	for k := i; k <= j; k++ {
		poll.tick(1)
		v := t.RawGetInt(k)
		if !lua.LVCanConvToString(v) {
			L.RaiseError("invalid value (%s) at index %d in table for concat", v.Type().String(), k)
		}
		out.str(lua.LVAsString(v))
		if k < j {
			out.str(sep)
		}
	}
	L.Push(lua.LString(out.String()))
	return 1
}

// tabSort implements table.sort(t[, comp]) on t[1..#t], checking the
// budget as it compares.
func tabSort(L *lua.LState) int {
	t := L.CheckTable(1)
	s := &luaSorter{L: L, poll: newPoller(L)}
	if L.GetTop() != 1 {
		s.fn = L.CheckFunction(2)
	}
	n := t.Len()
	s.v = make([]lua.LValue, n)
	for k := range s.v {
		s.v[k] = t.RawGetInt(k + 1)
	}
	sort.Sort(s)
	for k, v := range s.v {
		t.RawSetInt(k+1, v)
	}
	return 0
}

type luaSorter struct {
	L    *lua.LState
	fn   *lua.LFunction
	v    []lua.LValue
	poll *poller
}

func (s *luaSorter) Len() int      { return len(s.v) }
func (s *luaSorter) Swap(i, j int) { s.v[i], s.v[j] = s.v[j], s.v[i] }

func (s *luaSorter) Less(i, j int) bool {
	s.poll.tick(1)
	if s.fn == nil {
		return s.L.LessThan(s.v[i], s.v[j])
	}
	s.L.Push(s.fn)
	s.L.Push(s.v[i])
	s.L.Push(s.v[j])
	s.L.Call(2, 1)
	r := s.L.Get(-1)
	s.L.Pop(1)
	return lua.LVAsBool(r)
}

// dateItemMax bounds what one byte of an os.date format expands to.
const dateItemMax = 16

// limitOS wraps os.date: a format that could expand past the string limit
// is refused.
func limitOS(L *lua.LState) {
	mod, ok := L.GetGlobal(lua.OsLibName).(*lua.LTable)
	if !ok {
		return
	}
	orig, ok := mod.RawGetString("date").(*lua.LFunction)
	if !ok || !orig.IsG {
		return
	}
	mod.RawSetString("date", L.NewFunction(func(L *lua.LState) int {
		if size := len(L.OptString(1, "")) * dateItemMax; size > stringLimit(L) {
			tooLong(L, "os.date", size, stringLimit(L))
		}
		return orig.GFunction(L)
	}))
}
