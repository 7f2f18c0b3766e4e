package host

import (
	"context"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// coroutineScript exercises resume and wrap: values both ways, yields,
// errors, status, dead coroutines, nesting.
const coroutineScript = `
local out = {}
local function put(...) local t = {} for i = 1, select("#", ...) do t[#t + 1] = tostring((select(i, ...))) end out[#out + 1] = table.concat(t, ",") end
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d .. e
end)
put(coroutine.resume(co, 1, 2))
put(coroutine.resume(co, 10))
put(coroutine.resume(co, "x", "y"))
put(coroutine.resume(co))
put(coroutine.status(co))
local bad = coroutine.create(function() error("boom") end)
put(coroutine.resume(bad))
local gen = coroutine.wrap(function(n) for i = 1, n do coroutine.yield(i) end return "done" end)
put(gen(3), gen(), gen(), gen())
put(pcall(gen))
local failing = coroutine.wrap(function() error({code = 7}) end)
local ok, e = pcall(failing)
put(ok, type(e), type(e) == "table" and e.code)
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield("in") return "in-done" end)
  coroutine.yield(inner())
  coroutine.yield(inner())
end)
put(outer(), outer())
put(coroutine.running())
return table.concat(out, "|")
`

// Our resume and wrap, which give a coroutine its resumer's context,
// behave as gopher-lua's.
func TestGuardedCoroutinesBehaveAsGopherLua(t *testing.T) {
	run := func(guarded bool) string {
		L := lua.NewState()
		defer L.Close()
		if guarded {
			guardCoroutines(L)
		}
		L.SetContext(context.Background())
		if err := L.DoString(coroutineScript); err != nil {
			t.Fatalf("guarded %v: %v", guarded, err)
		}
		return L.Get(-1).String()
	}
	want, got := run(false), run(true)
	if got != want {
		t.Fatalf("guarded:\n %s\ngopher-lua:\n %s", got, want)
	}
	t.Log(got)
}

// A coroutine made in one run can be resumed in a later one (a pooled
// state), each time under that run's context.
func TestCoroutineOutlivesItsRun(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	guardCoroutines(L)
	for i, code := range []string{
		`gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
		 co = coroutine.create(function() while true do coroutine.yield("co") end end)
		 return gen()`,
		`return gen() + select(2, coroutine.resume(co)):len()`,
	} {
		ctx, cancel := context.WithCancel(context.Background())
		L.SetContext(ctx)
		if err := L.DoString(code); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		cancel() // the run is over: its context ends
		L.Pop(1)
	}
}
