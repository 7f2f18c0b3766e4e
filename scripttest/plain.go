package scripttest

import (
	lua "github.com/yuin/gopher-lua"
)

// Values crossing between the test state and the host's states (module
// stub returns, recorded arguments) travel as plain Go values: nil, bool,
// float64, string and *plainTable. Anything else (userdata such as
// events, functions, coroutines) is recorded as its tostring.

// plainTable is a deep copy of a Lua table, keys in the order found.
type plainTable struct {
	keys, vals []any
}

// cycleMark replaces a table met again inside itself.
const cycleMark = "<cycle>"

// toPlain copies v out of L; seen guards against cycles (nil to start).
func toPlain(L *lua.LState, v lua.LValue, seen map[*lua.LTable]bool) any {
	switch x := v.(type) {
	case *lua.LNilType:
		return nil
	case lua.LBool:
		return bool(x)
	case lua.LNumber:
		return float64(x)
	case lua.LString:
		return string(x)
	case *lua.LTable:
		return tableToPlain(L, x, seen)
	default:
		return L.ToStringMeta(v).String()
	}
}

func tableToPlain(L *lua.LState, t *lua.LTable, seen map[*lua.LTable]bool) any {
	if seen[t] {
		return cycleMark
	}
	if seen == nil {
		seen = map[*lua.LTable]bool{}
	}
	seen[t] = true
	defer delete(seen, t)
	p := &plainTable{}
	t.ForEach(func(k, v lua.LValue) {
		p.keys = append(p.keys, toPlain(L, k, seen))
		p.vals = append(p.vals, toPlain(L, v, seen))
	})
	return p
}

// toLua builds v as a value of L (tables are new tables of L).
func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case *plainTable:
		t := L.CreateTable(0, len(x.keys))
		for i, k := range x.keys {
			t.RawSet(toLua(L, k), toLua(L, x.vals[i]))
		}
		return t
	default:
		return lua.LNil
	}
}

// plainList copies the values 1..n of a packed table ({n=, ...}).
func plainList(L *lua.LState, t *lua.LTable) []any {
	n := int(lua.LVAsNumber(t.RawGetString("n")))
	out := make([]any, n)
	for i := range out {
		out[i] = toPlain(L, t.RawGetInt(i+1), nil)
	}
	return out
}

// luaList returns vals as a packed table of L ({n=, ...}).
func luaList(L *lua.LState, vals []any) *lua.LTable {
	t := L.CreateTable(len(vals), 1)
	for i, v := range vals {
		t.RawSetInt(i+1, toLua(L, v))
	}
	t.RawSetString("n", lua.LNumber(len(vals)))
	return t
}
