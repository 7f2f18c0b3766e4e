package host

import (
	"testing"

	"github.com/eslscript/eslscript/bindings"
)

// BenchmarkNewState measures a fresh sandboxed state with the script run
// (what a pool miss costs).
func BenchmarkNewState(b *testing.B) {
	g := benchGen(b)
	b.ReportAllocs()
	for b.Loop() {
		st, err := g.openState(&bindings.Runtime{Script: "main"}, ownQueue)
		if err != nil {
			b.Fatal(err)
		}
		st.close()
	}
}

// BenchmarkPoolGetPut measures a pool hit.
func BenchmarkPoolGetPut(b *testing.B) {
	g := benchGen(b)
	p := g.pool("main")
	open := func() (*luaState, error) { return g.openState(&bindings.Runtime{Script: "main"}, ownQueue) }
	b.ReportAllocs()
	for b.Loop() {
		st, err := p.get(open)
		if err != nil {
			b.Fatal(err)
		}
		p.put(st, true)
	}
}

func benchGen(b *testing.B) *Generation {
	dir := b.TempDir()
	writeFile(b, dir, "main.lua", `local u = require("lib.util")
return { session = function(s) return u.x end }`)
	writeFile(b, dir, "lib/util.lua", `return {x = 1}`)
	g, err := (&Loader{Dir: dir}).Build(nil)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkBuild measures a reload of a small scripts directory (two
// files, built-in modules).
func BenchmarkBuild(b *testing.B) {
	dir := b.TempDir()
	writeFile(b, dir, "main.lua", `local log = require("log")
local u = require("lib.util")
return { session = function(s) return u.x end, events = { CHANNEL_ANSWER = function(ev) end } }`)
	writeFile(b, dir, "lib/util.lua", `return {x = 1}`)
	l := &Loader{Dir: dir, Registry: bindings.NewRegistry()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Build(nil); err != nil {
			b.Fatal(err)
		}
	}
}
