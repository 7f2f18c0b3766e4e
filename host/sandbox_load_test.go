package host

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// chunkLevels stays low for ordinary code, however long, and passes the
// limit for chunks that nest deeply in any of the ways gopher-lua's parser
// recurses on.
func TestChunkLevels(t *testing.T) {
	ordinary := map[string]string{
		"statements": strings.Repeat("print(i) x = x + 1\nlocal t = {a = 1, b = {2, 3}}\n", 5000),
		"calls":      strings.Repeat("print(i)\nobj:method(a).field(b)\n", 5000),
		"data":       "return {" + strings.Repeat(`{"a", 1, [[x]]},`, 20000) + "}",
		"blocks":     strings.Repeat("if a then b() elseif c then d() else e() end\nfor i = 1, 2 do f(i) end\n", 2000),
		"functions":  strings.Repeat("local function f(a, b) return a .. b end\n", 2000),
		"skipped":    `s = "((((((" .. '[[[' -- ((((((` + "\n--[==[ " + strings.Repeat("(", 500) + " ]==]\nt = [[" + strings.Repeat("{", 500) + "]]",
	}
	for name, src := range ordinary {
		if n := chunkLevels(src); n > 20 {
			t.Errorf("%s: %d levels", name, n)
		}
	}
	deep := map[string]string{
		"parens":  "return " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300),
		"tables":  "return " + strings.Repeat("{", 300) + strings.Repeat("}", 300),
		"blocks":  strings.Repeat("do ", 300) + strings.Repeat("end ", 300),
		"concat":  "return 'a'" + strings.Repeat("..'a'", 300),
		"plus":    "return 1" + strings.Repeat("+1", 300),
		"unary":   "return " + strings.Repeat("- ", 300) + "1",
		"fields":  "return a" + strings.Repeat(".b", 300),
		"calls":   "return f" + strings.Repeat("()", 300),
		"elseifs": "if a then" + strings.Repeat(" elseif a then", 300) + " end",
	}
	for name, src := range deep {
		if n := chunkLevels(src); n <= maxChunkLevels {
			t.Errorf("%s: %d levels, want more than %d", name, n, maxChunkLevels)
		}
	}
}

// loadstring and load compile ordinary chunks as before, and refuse deep
// or huge ones at once (a 4 MB nested chunk took 20 s and 1.6 GB).
func TestLoadLimits(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"load.lua": `
local f = assert(loadstring("return 1 + ..."))
print(f(41))
local parts = {"return ", "'x'"}
local g = assert(load(function() return table.remove(parts, 1) end))
print(g())
print(loadstring("return +"))
print(loadstring("return " .. ("("):rep(300) .. "1" .. (")"):rep(300)))
local t0 = os.clock()
print(loadstring("return " .. ("("):rep(2000000) .. "1" .. (")"):rep(2000000)))
print(os.clock() - t0 < 1)
`})
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "load.lua")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"42", "x", "nil\t<string> line:1(column:8) near '+':   syntax error\n",
		"nil\t<string>: chunk has too many syntax levels", "nil\t<string>: chunk longer than 1048576 bytes", "true"}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// A compile in progress does not hold the run past its budget: loadstring
// returns the budget's error as soon as it ends.
func TestLoadStopsWithTheBudget(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	limitLoad(L)
	ctx, cancel := context.WithCancel(context.Background())
	L.SetContext(ctx)
	src := strings.Repeat("a = 1 ", 170000) // about 1 MB: seconds to compile
	L.Push(L.GetGlobal("loadstring"))
	L.Push(lua.LString(src))
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	err := L.PCall(1, 1, nil)
	if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Fatalf("loadstring returned %v, %v; want the context's error", L.Get(-1), err)
	}
	var ae *lua.ApiError
	if !errors.As(err, &ae) {
		t.Fatalf("err %T, want a Lua error", err)
	}
}
