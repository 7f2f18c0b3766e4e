package host

import (
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// utf8Lib is Lua 5.3's utf8 library: char, charpattern, codepoint, len,
// offset and codes (strict UTF-8: surrogates and sequences longer than
// four bytes are invalid, where Lua 5.3 accepts them).
func utf8Lib(L *lua.LState) *lua.LTable {
	t := L.SetFuncs(L.CreateTable(0, 6), map[string]lua.LGFunction{
		"char": utf8Char, "codepoint": utf8Codepoint, "len": utf8Len, "offset": utf8Offset, "codes": utf8Codes,
	})
	t.RawSetString("charpattern", lua.LString("[\x00-\x7F\xC2-\xF4][\x80-\xBF]*"))
	return t
}

// utf8Char implements utf8.char(...).
func utf8Char(L *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= L.GetTop(); i++ {
		c := intArg(L, i)
		if c < 0 || c > utf8.MaxRune {
			L.ArgError(i, "value out of range")
		}
		b.WriteRune(rune(c))
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// bytePos turns a Lua string position (negative: from the end) into a
// 1-based one.
func bytePos(pos int64, n int) int64 {
	if pos >= 0 {
		return pos
	}
	if -pos > int64(n) {
		return 0
	}
	return int64(n) + pos + 1
}

// utf8Codepoint implements utf8.codepoint(s[, i[, j]]).
func utf8Codepoint(L *lua.LState) int {
	s := L.CheckString(1)
	i := bytePos(optIntArg(L, 2, 1), len(s))
	j := bytePos(optIntArg(L, 3, i), len(s))
	if i < 1 {
		L.ArgError(2, "out of range")
	}
	if j > int64(len(s)) {
		L.ArgError(3, "out of range")
	}
	n := 0
	for p := int(i - 1); p < int(j); {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == utf8.RuneError && size <= 1 {
			L.RaiseError("invalid UTF-8 code")
		}
		L.Push(lua.LNumber(r))
		n++
		p += size
	}
	return n
}

// utf8Len implements utf8.len(s[, i[, j]]): the number of characters that
// start between i and j, or nil and the position of the first invalid
// byte.
func utf8Len(L *lua.LState) int {
	s := L.CheckString(1)
	i := bytePos(optIntArg(L, 2, 1), len(s))
	j := bytePos(optIntArg(L, 3, -1), len(s))
	if i < 1 || i > int64(len(s))+1 {
		L.ArgError(2, "initial position out of string")
	}
	if j > int64(len(s)) {
		L.ArgError(3, "final position out of string")
	}
	n := 0
	for p := int(i - 1); p < int(j); {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == utf8.RuneError && size <= 1 {
			L.Push(lua.LNil)
			L.Push(lua.LNumber(p + 1))
			return 2
		}
		n++
		p += size
	}
	L.Push(lua.LNumber(n))
	return 1
}

// isCont reports a UTF-8 continuation byte.
func isCont(b byte) bool { return b&0xC0 == 0x80 }

// utf8Offset implements utf8.offset(s, n[, i]): the byte position where
// the n-th character (counted from position i) starts.
func utf8Offset(L *lua.LState) int {
	s := L.CheckString(1)
	n := intArg(L, 2)
	def := int64(1)
	if n < 0 {
		def = int64(len(s)) + 1
	}
	i := bytePos(optIntArg(L, 3, def), len(s)) - 1
	if i < 0 || i > int64(len(s)) {
		L.ArgError(3, "position out of range")
	}
	at := func(p int64) bool { return p < int64(len(s)) && isCont(s[p]) }
	if n == 0 {
		for i > 0 && at(i) {
			i--
		}
		L.Push(lua.LNumber(i + 1))
		return 1
	}
	if at(i) {
		L.RaiseError("initial position is a continuation byte")
	}
	for ; n < 0 && i > 0; n++ {
		i--
		for i > 0 && at(i) {
			i--
		}
	}
	for ; n > 1 && i < int64(len(s)); n-- {
		i++
		for at(i) {
			i++
		}
	}
	if n == 0 || n == 1 {
		L.Push(lua.LNumber(i + 1))
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// utf8Codes implements utf8.codes(s): for p, c in utf8.codes(s).
func utf8Codes(L *lua.LState) int {
	s := L.CheckString(1)
	L.Push(L.NewFunction(func(L *lua.LState) int {
		p := int(L.CheckNumber(2)) // the previous position, 0 at first
		if p > 0 {
			_, size := utf8.DecodeRuneInString(s[p-1:])
			p += size - 1
		}
		if p >= len(s) {
			return 0
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == utf8.RuneError && size <= 1 {
			L.RaiseError("invalid UTF-8 code")
		}
		L.Push(lua.LNumber(p + 1))
		L.Push(lua.LNumber(r))
		return 2
	}))
	L.Push(lua.LString(s))
	L.Push(lua.LNumber(0))
	return 3
}

// optIntArg is argument n as an integer, def when absent or nil.
func optIntArg(L *lua.LState, n int, def int64) int64 {
	if L.Get(n) == lua.LNil {
		return def
	}
	return intArg(L, n)
}
