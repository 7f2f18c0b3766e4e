package bindings

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// limitString replaces the pattern functions, rep and format of L's
// string library (the string metatable's __index is the same table, so
// s:find(...) gets them too).
func limitString(L *lua.LState) {
	mod, ok := L.GetGlobal(lua.StringLibName).(*lua.LTable)
	if !ok {
		return
	}
	gmatch := L.NewFunction(strGmatch)
	for name, fn := range map[string]lua.LValue{
		"find": L.NewFunction(strFind), "match": L.NewFunction(strMatch),
		"gmatch": gmatch, "gfind": gmatch, "gsub": L.NewFunction(strGsub),
		"rep": L.NewFunction(strRep),
	} {
		mod.RawSetString(name, fn)
	}
	if orig, ok := mod.RawGetString("format").(*lua.LFunction); ok && orig.IsG {
		mod.RawSetString("format", L.NewFunction(limitFormat(orig.GFunction)))
	}
}

// withPattern runs fn, turning a malformed pattern or a stopped match into
// a Lua error; other panics (Lua errors of callbacks) go through.
func withPattern(L *lua.LState, fn func()) {
	defer func() {
		switch r := recover().(type) {
		case nil:
		case patError:
			L.RaiseError("%s", r.msg)
		case patStopped:
			L.RaiseError("%s", r.err.Error())
		default:
			panic(r)
		}
	}()
	fn()
}

// strInit converts a 1-based (or negative, from the end) init argument to
// a byte offset; it may be past the end (no match then).
func strInit(init, n int) int {
	switch {
	case init > 0:
		return init - 1
	case init == 0:
		return 0
	case -init > n:
		return 0
	}
	return n + init
}

// anchored splits a leading '^' off a pattern.
func anchored(pat string) (start int, anchor bool) {
	if pat != "" && pat[0] == '^' {
		return 1, true
	}
	return 0, false
}

// strFind implements string.find(s, pattern[, init[, plain]]).
func strFind(L *lua.LState) int { return strFindAux(L, true) }

// strMatch implements string.match(s, pattern[, init]).
func strMatch(L *lua.LState) int { return strFindAux(L, false) }

func strFindAux(L *lua.LState, find bool) int {
	src, pat := L.CheckString(1), L.CheckString(2)
	init := strInit(L.OptInt(3, 1), len(src))
	if init > len(src) {
		L.Push(lua.LNil)
		return 1
	}
	if find && (lua.LVAsBool(L.Get(4)) || !patHasSpecials(pat)) {
		i := strings.Index(src[init:], pat)
		if i < 0 {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(lua.LNumber(init + i + 1))
		L.Push(lua.LNumber(init + i + len(pat)))
		return 2
	}
	m := newPatMatcher(src, pat, runStop(L))
	n := 0
	withPattern(L, func() {
		p, anchor := anchored(pat)
		for s := init; ; s++ {
			if e := m.at(s, p); e >= 0 {
				if find {
					L.Push(lua.LNumber(s + 1))
					L.Push(lua.LNumber(e))
					n = 2 + m.pushCaptures(L, s, e, false)
				} else {
					n = m.pushCaptures(L, s, e, true)
				}
				return
			}
			if anchor || s >= len(src) {
				break
			}
		}
		L.Push(lua.LNil)
		n = 1
	})
	return n
}

// pushCaptures pushes the captures of the match src[s:e] (the whole match
// when there are none and whole is set) and returns how many.
func (m *patMatcher) pushCaptures(L *lua.LState, s, e int, whole bool) int {
	if m.level == 0 && whole {
		L.Push(lua.LString(m.src[s:e]))
		return 1
	}
	for i := 0; i < m.level; i++ {
		L.Push(m.capture(i, s, e))
	}
	return m.level
}

// capture returns capture i of the match src[s:e] (i == 0 with no
// captures is the whole match).
func (m *patMatcher) capture(i, s, e int) lua.LValue {
	if i >= m.level {
		if i == 0 {
			return lua.LString(m.src[s:e])
		}
		m.fail("invalid capture index")
	}
	switch c := m.caps[i]; c.len {
	case capUnfinished:
		m.fail("unfinished capture")
	case capPosition:
		return lua.LNumber(c.start + 1)
	default:
		return lua.LString(m.src[c.start : c.start+c.len])
	}
	return lua.LNil
}

// strGmatch implements string.gmatch(s, pattern): an iterator that finds
// the next match on each call. As in Lua, '^' is not an anchor here.
func strGmatch(L *lua.LState) int {
	src, pat := L.CheckString(1), L.CheckString(2)
	m := newPatMatcher(src, pat, nil)
	pos := 0
	L.Push(L.NewFunction(func(L *lua.LState) int {
		m.stop = runStop(L)
		n := 0
		withPattern(L, func() {
			for s := pos; s <= len(src); s++ {
				if e := m.at(s, 0); e >= 0 {
					pos = e
					if e == s {
						pos++
					}
					n = m.pushCaptures(L, s, e, true)
					return
				}
			}
			pos = len(src) + 1
		})
		return n
	}))
	return 1
}

// strGsub implements string.gsub(s, pattern, repl[, n]).
func strGsub(L *lua.LState) int {
	src, pat := L.CheckString(1), L.CheckString(2)
	repl := L.Get(3)
	switch repl.(type) {
	case lua.LString, lua.LNumber, *lua.LTable, *lua.LFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	limit := L.OptInt(4, len(src)+1)
	out := newStrBuf(L, "string.gsub")
	m := newPatMatcher(src, pat, runStop(L))
	count := 0
	withPattern(L, func() {
		p, anchor := anchored(pat)
		s := 0
		for count < limit {
			e := m.at(s, p)
			if e >= 0 {
				count++
				m.replace(L, out, s, e, repl)
			}
			if e > s {
				s = e
			} else if s < len(src) {
				out.byte(src[s])
				s++
			} else {
				break
			}
			if anchor {
				break
			}
		}
		out.str(src[s:])
	})
	L.Push(lua.LString(out.String()))
	L.Push(lua.LNumber(count))
	return 2
}

// replace appends the replacement of the match src[s:e].
func (m *patMatcher) replace(L *lua.LState, out *strBuf, s, e int, repl lua.LValue) {
	var v lua.LValue
	switch r := repl.(type) {
	case lua.LString:
		m.expand(out, string(r), s, e)
		return
	case lua.LNumber:
		m.expand(out, r.String(), s, e)
		return
	case *lua.LTable:
		v = L.GetTable(r, m.capture(0, s, e))
	case *lua.LFunction:
		L.Push(r)
		n := m.pushCaptures(L, s, e, true)
		L.Call(n, 1)
		v = L.Get(-1)
		L.Pop(1)
	}
	switch x := v.(type) {
	case lua.LString, lua.LNumber:
		out.str(x.String())
	default:
		if lua.LVIsFalse(v) {
			out.str(m.src[s:e])
			return
		}
		L.RaiseError("invalid replacement value (a %s)", v.Type().String())
	}
}

// expand appends a replacement string: %0 is the whole match, %1-%9 a
// capture, % followed by any other character that character.
func (m *patMatcher) expand(out *strBuf, repl string, s, e int) {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '%' || i+1 == len(repl) {
			out.byte(c)
			continue
		}
		i++
		switch d := repl[i]; {
		case d == '0':
			out.str(m.src[s:e])
		case isDigit(d):
			out.str(lua.LVAsString(m.capture(int(d-'1'), s, e)))
		default:
			out.byte(d)
		}
	}
}
