package host

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// Bounds of the chunks scripts compile at run time (load, loadstring).
// gopher-lua's parser and compiler take time quadratic in how deeply a
// chunk nests (200,000 nested do blocks: minutes) and recurse as deep
// (a 4 MB chunk reached 1.6 GB), and neither can be interrupted.
const (
	// maxChunk is the longest chunk load and loadstring compile (a flat
	// megabyte compiles in about 2 s).
	maxChunk = 1 << 20
	// maxChunkLevels is how deeply a chunk may nest: brackets, blocks and
	// chains of operators, calls and field accesses (Lua itself refuses
	// more than 200 "syntax levels").
	maxChunkLevels = 200
)

// limitLoad replaces load and loadstring with versions that refuse chunks
// longer than maxChunk or nested deeper than maxChunkLevels (nil and an
// error, as for a syntax error), and compile on another goroutine so that
// the run's budget stops the wait.
func limitLoad(L *lua.LState) {
	if _, ok := L.GetGlobal("loadstring").(*lua.LFunction); ok {
		L.SetGlobal("loadstring", L.NewFunction(func(L *lua.LState) int {
			return loadChunk(L, L.CheckString(1), L.OptString(2, "<string>"))
		}))
	}
	if _, ok := L.GetGlobal("load").(*lua.LFunction); ok {
		L.SetGlobal("load", L.NewFunction(loadFromReader))
	}
}

// loadFromReader implements load(fn[, chunkname]): fn returns the chunk's
// pieces until nil or "".
func loadFromReader(L *lua.LState) int {
	fn := L.CheckFunction(1)
	name := L.OptString(2, "?")
	var b strings.Builder
	for {
		L.Push(fn)
		L.Call(0, 1)
		v := L.Get(-1)
		L.Pop(1)
		if v == lua.LNil || v == lua.LString("") {
			break
		}
		if !lua.LVCanConvToString(v) {
			return loadFailed(L, "reader function must return a string")
		}
		if b.WriteString(v.String()); b.Len() > maxChunk {
			return loadFailed(L, fmt.Sprintf("%s: chunk longer than %d bytes", name, maxChunk))
		}
	}
	return loadChunk(L, b.String(), name)
}

// loadChunk compiles src on another goroutine and pushes the function,
// or nil and the error.
func loadChunk(L *lua.LState, src, name string) int {
	if len(src) > maxChunk {
		return loadFailed(L, fmt.Sprintf("%s: chunk longer than %d bytes", name, maxChunk))
	}
	if chunkLevels(src) > maxChunkLevels {
		return loadFailed(L, name+": chunk has too many syntax levels")
	}
	done := make(chan compiled, 1)
	go compileChunk(src, name, done)
	var c compiled
	if ctx := L.Context(); ctx != nil {
		select {
		case c = <-done:
		case <-ctx.Done():
			L.RaiseError("%s", ctx.Err().Error()) // the compile finishes on its own
		}
	} else {
		c = <-done
	}
	if c.err != nil {
		return loadFailed(L, c.err.Error())
	}
	L.Push(L.NewFunctionFromProto(c.proto))
	return 1
}

// compiled is the outcome of compileChunk.
type compiled struct {
	proto *lua.FunctionProto
	err   error
}

// compileChunk parses and compiles src (no Lua state involved).
func compileChunk(src, name string, done chan<- compiled) {
	defer func() {
		if r := recover(); r != nil {
			done <- compiled{err: fmt.Errorf("%s: cannot compile: %v", name, r)}
		}
	}()
	chunk, err := parse.Parse(strings.NewReader(src), name)
	if err != nil {
		done <- compiled{err: err}
		return
	}
	proto, err := lua.Compile(chunk, name)
	done <- compiled{proto: proto, err: err}
}

func loadFailed(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}
