package host

import (
	"crypto/rand"
	"encoding/binary"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.3's math.random on Linux calls the C library's random(), which
// math.randomseed seeds with srandom(): a script that seeds with a fixed
// number gets the same numbers every run, and under FreeSWITCH's mod_lua
// the same numbers as here. gopher-lua's math.randomseed does nothing
// (Go's rand.Seed is a no-op since Go 1.24) and its numbers come from
// Go's generator.

// glibcRandom is glibc's random() (its default TYPE_3 state: the additive
// feedback generator r[i] = r[i-3] + r[i-31] over 32-bit words, seeded
// by a Lehmer sequence, the first 310 outputs discarded).
type glibcRandom struct {
	r [34]uint32 // the last 34 words, as a ring
	i int        // the next word's index into r
}

// seed is srandom(seed).
func (g *glibcRandom) seed(seed uint32) {
	if seed == 0 {
		seed = 1
	}
	var w [31]int32
	w[0] = int32(seed)
	for i := 1; i < 31; i++ {
		// w[i] = 16807 * w[i-1] % 2147483647, computed without overflow
		hi, lo := w[i-1]/127773, w[i-1]%127773
		x := 16807*lo - 2836*hi
		if x < 0 {
			x += 2147483647
		}
		w[i] = x
	}
	for i := 0; i < 31; i++ {
		g.r[i] = uint32(w[i])
	}
	for i := 31; i < 34; i++ {
		g.r[i] = g.r[i-31]
	}
	g.i = 0
	for range 310 {
		g.next()
	}
}

// next is random(): a number in [0, 2^31).
func (g *glibcRandom) next() uint32 {
	// r[i] = r[i-31] + r[i-3]; with 34 words in the ring, i-31 is i+3
	// and i-3 is i+31 (mod 34).
	v := g.r[(g.i+3)%34] + g.r[(g.i+31)%34]
	g.r[g.i] = v
	g.i = (g.i + 1) % 34
	return v >> 1
}

// openRandom replaces math.random and math.randomseed by Lua 5.3's over
// a generator of the state's own, seeded at random until the script
// seeds it.
func openRandom(L *lua.LState, mth *lua.LTable) {
	g := &glibcRandom{}
	var b [4]byte
	_, _ = rand.Read(b[:])
	g.seed(binary.LittleEndian.Uint32(b[:]))
	mth.RawSetString("random", L.NewFunction(func(L *lua.LState) int { return mathRandom(L, g) }))
	mth.RawSetString("randomseed", L.NewFunction(func(L *lua.LState) int {
		n, ok := argNumber(L, 1)
		if !ok {
			L.TypeError(1, lua.LTNumber)
		}
		g.seed(uint32(int64(n)))
		g.next() // Lua 5.3 discards the first value after seeding
		return 0
	}))
}

// mathRandom implements math.random([m[, n]]) as Lua 5.3: a float in
// [0, 1), or an integer in [1, m] or [m, n] scaled from one draw.
func mathRandom(L *lua.LState, g *glibcRandom) int {
	r := float64(g.next()) * (1.0 / (2147483647.0 + 1.0))
	var low, up int64
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
		return 1
	case 1:
		low, up = 1, intArg(L, 1)
	case 2:
		low, up = intArg(L, 1), intArg(L, 2)
	default:
		L.RaiseError("wrong number of arguments")
	}
	if low > up {
		L.ArgError(1, "interval is empty")
	}
	r *= float64(up-low) + 1.0
	L.Push(lua.LNumber(int64(r) + low))
	return 1
}

// intArg is argument n as an integer (numeric strings accepted).
func intArg(L *lua.LState, n int) int64 {
	v, ok := argNumber(L, n)
	if !ok {
		L.TypeError(n, lua.LTNumber)
	}
	return int64(v)
}
