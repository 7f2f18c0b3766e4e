package bindings

import (
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// nextCallback waits for a posted callback and runs it on L.
func nextCallback(t *testing.T, L *lua.LState, q *Queue) {
	t.Helper()
	select {
	case fn := <-q.Pending():
		fn(L)
	case <-time.After(5 * time.Second):
		t.Fatal("no callback posted")
	}
}

func TestTimerAfterAndEvery(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	L := newTestState(t, &testEnv{Clock: clk, Loop: q})
	run(t, L, `
		local timer = require("timer")
		fired, ticks = 0, 0
		timer.after(100, function() fired = fired + 1 end)
		tick = timer.every(50, function() ticks = ticks + 1 end)
	`)
	clk.awaitAfter(t, 2)
	clk.Advance(50 * time.Millisecond)
	nextCallback(t, L, q)
	clk.awaitAfter(t, 1) // every re-armed
	clk.Advance(50 * time.Millisecond)
	nextCallback(t, L, q)
	nextCallback(t, L, q)
	if global(L, "fired") != "1" || global(L, "ticks") != "2" {
		t.Fatalf("fired=%s ticks=%s", global(L, "fired"), global(L, "ticks"))
	}
	run(t, L, `c1 = tick:cancel(); c2 = tick:cancel()`)
	if global(L, "c1") != "true" || global(L, "c2") != "false" {
		t.Fatalf("cancel = %s, %s", global(L, "c1"), global(L, "c2"))
	}
}

func TestTimerCancelBeforeRun(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	L := newTestState(t, &testEnv{Clock: clk, Loop: q})
	run(t, L, `fired = false; h = require("timer").after(10, function() fired = true end)`)
	clk.awaitAfter(t, 1)
	clk.Advance(10 * time.Millisecond)
	select { // posted, not yet run: cancel now wins
	case fn := <-q.Pending():
		run(t, L, `was_active = h:cancel()`)
		fn(L)
	case <-time.After(5 * time.Second):
		t.Fatal("no callback posted")
	}
	if global(L, "fired") != "false" || global(L, "was_active") != "true" {
		t.Fatalf("fired=%s was_active=%s", global(L, "fired"), global(L, "was_active"))
	}
}

// The Runtime's End stops the state's timers; timers started afterwards
// work.
func TestEndStopsTimers(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	L := newTestState(t, &testEnv{Clock: clk, Loop: q})
	run(t, L, `require("timer").every(10, function() end)`)
	clk.awaitAfter(t, 1)
	runtimeOf(L).End()
	clk.Advance(time.Second)
	select {
	case <-q.Pending():
		t.Fatal("a stopped timer posted a callback")
	default:
	}
	run(t, L, `h2, err = require("timer").after(5, function() end)`)
	if global(L, "h2") == "nil" { // a fresh set after End
		t.Fatalf("after End: %s", global(L, "err"))
	}
}

func TestTimerCallbackErrorIsLogged(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	lg, buf := capture()
	L := newTestState(t, &testEnv{Clock: clk, Loop: q, Logger: lg, Script: "s"})
	run(t, L, `require("timer").after(1, function() error("oops") end)`)
	clk.awaitAfter(t, 1)
	clk.Advance(time.Millisecond)
	nextCallback(t, L, q)
	if !contains(buf.String(), "oops") {
		t.Fatalf("log = %s", buf.String())
	}
}

func TestTimerNoLoop(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `h, err = require("timer").after(1, function() end)`)
	if global(L, "err") != ErrNoLoop.Error() {
		t.Fatalf("err = %s", global(L, "err"))
	}
}
