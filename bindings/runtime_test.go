package bindings

import (
	"context"
	"slices"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// hostRun runs code in L under sc, as a host runs a handler: through the
// Runtime's one entry point.
func hostRun(t *testing.T, rt *Runtime, L *lua.LState, sc Scope, code string) {
	t.Helper()
	rt.Run(sc, func() { run(t, L, code) })
}

// A timer scheduled by call A's run fires while call B's run is in
// progress (B waits, and the state's loop runs the callback meanwhile):
// the callback's esl.api goes to A's FreeSWITCH and its log line names
// call A on node fsA, under the context of the run executing it; B's code
// after the callback still acts for B, and the scope outside any run is
// the zero one again.
func TestDeferredCallbackRunsUnderItsRunDuringAnother(t *testing.T) {
	clk, q := newFakeClock(), NewQueue(8)
	logger, buf := capture()
	fsA, fsB := &fakeCommander{}, &fakeCommander{}
	rt := &Runtime{Clock: clk, Loop: q, Logger: logger}
	L := lua.NewState()
	t.Cleanup(L.Close)
	NewRegistry().Preload(L, rt)
	L.SetGlobal("pump", L.NewFunction(func(L *lua.LState) int {
		clk.Advance(10 * time.Millisecond)
		nextCallback(t, L, q)
		return 0
	}))
	var cbCtx context.Context
	L.SetGlobal("seen_ctx", L.NewFunction(func(L *lua.LState) int { cbCtx = rt.Scope().Context(); return 0 }))
	ctxA := context.WithValue(context.Background(), ctxKey{}, "A")
	ctxB := context.WithValue(context.Background(), ctxKey{}, "B")

	hostRun(t, rt, L, NewScope("fsA", "call-A", fsA).WithContext(ctxA), `
		require("timer").after(10, function()
			seen_ctx()
			require("esl").api("from-timer")
			require("log").info("fired")
		end)`)
	clk.awaitAfter(t, 1)
	hostRun(t, rt, L, NewScope("fsB", "call-B", fsB).WithContext(ctxB), `
		pump()
		require("esl").api("from-B")`)

	if !slices.Equal(fsA.apis, []string{"from-timer"}) || !slices.Equal(fsB.apis, []string{"from-B"}) {
		t.Fatalf("esl.api went to A %q, B %q; want the timer's to A, B's own to B", fsA.apis, fsB.apis)
	}
	if out := buf.String(); !contains(out, `"call":"call-A"`) || !contains(out, `"node":"fsA"`) {
		t.Fatalf("timer's log line %q does not name call-A on fsA", out)
	}
	if cbCtx == nil || cbCtx.Value(ctxKey{}) != "B" {
		t.Fatalf("callback's context %v, want the context of the run executing it (B's)", cbCtx)
	}
	if sc := rt.Scope(); sc != (Scope{}) {
		t.Fatalf("scope after the runs: %+v, want the zero scope", sc)
	}
}

// Run restores the scope it replaced, also when fn panics: the scope of
// the run in progress changes only for the length of one Run (its fields
// are unexported, so a host cannot assign them).
func TestRunRestoresTheScope(t *testing.T) {
	rt := &Runtime{}
	outer := NewScope("fs1", "call-1", nil)
	inner := NewScope("fs2", "call-2", nil)
	rt.Run(outer, func() {
		rt.Run(inner, func() {
			if rt.Scope() != inner {
				t.Errorf("inside the inner run: %+v", rt.Scope())
			}
		})
		if rt.Scope() != outer {
			t.Errorf("after the inner run: %+v, want the outer scope back", rt.Scope())
		}
		func() {
			defer func() { _ = recover() }()
			rt.Run(inner, func() { panic("boom") })
		}()
		if rt.Scope() != outer {
			t.Errorf("after a panicking run: %+v, want the outer scope back", rt.Scope())
		}
	})
	if rt.Scope() != (Scope{}) {
		t.Fatalf("after the outer run: %+v", rt.Scope())
	}
}

// Deferred.Post takes every callback while the state is open, however
// many wait (the loop grows), and refuses them with false once the state
// is closed; Done is closed then and the End hooks ran once.
func TestDeferredPostFalseOnlyWhenClosed(t *testing.T) {
	q := NewQueue(1)
	rt := &Runtime{Loop: q}
	ended := 0
	rt.OnEnd(func() { ended++ })
	slot := rt.Defer()
	ran := 0
	for i := range 100 {
		if !slot.Post(func(*lua.LState) { ran++ }) {
			t.Fatalf("post %d refused on an open state", i)
		}
	}
	L := lua.NewState()
	defer L.Close()
	for q.runPending(L) > 0 {
	}
	if ran != 100 {
		t.Fatalf("%d of 100 callbacks ran", ran)
	}
	rt.Close()
	if slot.Post(func(*lua.LState) { t.Error("a callback ran after Close") }) {
		t.Fatal("post on a closed state returned true")
	}
	q.runPending(L)
	select {
	case <-rt.Done():
	default:
		t.Fatal("Done not closed by Close")
	}
	rt.Close()
	if ended != 1 {
		t.Fatalf("End hooks ran %d times, want once", ended)
	}
}

// End runs the hooks registered since the last End, latest first, and
// forgets them; Close runs the End hooks then the Close hooks.
func TestEndAndCloseHooks(t *testing.T) {
	rt := &Runtime{}
	var order []string
	rt.OnClose(func() { order = append(order, "close") })
	rt.OnEnd(func() { order = append(order, "end1") })
	rt.OnEnd(func() { order = append(order, "end2") })
	rt.End()
	rt.End()
	rt.OnEnd(func() { order = append(order, "end3") })
	rt.Close()
	if want := []string{"end2", "end1", "end3", "close"}; !slices.Equal(order, want) {
		t.Fatalf("hooks ran %q, want %q", order, want)
	}
}
