package bindings

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// callNative calls the global function fn (a dotted name) with the Lua
// values of args under ctx, directly (not through the VM, which would see
// a cancelled ctx first), and returns its error.
func callNative(t *testing.T, L *lua.LState, ctx context.Context, fn string, args string) error {
	t.Helper()
	if err := L.DoString("return " + fn + ", " + args); err != nil {
		t.Fatal(err)
	}
	n := L.GetTop()
	L.SetContext(ctx)
	defer L.RemoveContext()
	err := L.PCall(n-1, lua.MultRet, nil)
	L.SetTop(0)
	return err
}

// Every native function that can run long stops at its first look at a
// context that has ended: it does not finish its work first.
func TestNativeCallsStopWhenTheBudgetEnds(t *testing.T) {
	L := limitedState(t, 0)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if err := L.DoString(`
		json = require("json")
		evil = ("a?"):rep(40) .. ("a"):rep(40)
		subject = ("a"):rep(40)
		big = {}
		for i = 1, 200000 do big[i] = (i * 7919) % 100003 end
		deep = {}
		for i = 1, 500 do deep = {deep} end
		wide = {}
		for i = 1, 50000 do wide[i] = {i} end
	`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ fn, args string }{
		{"string.find", "subject, evil"},
		{"string.match", "subject, evil"},
		{"string.gsub", "subject, evil, 'x'"},
		{"string.gmatch(subject, evil)", "nil"},
		{"table.sort", "big"},
		{"table.sort", "big, function(a, b) return a > b end"},
		{"table.concat", "big, ','"},
		{"json.encode", "wide"},
		{"json.decode", "json.encode(big)"},
	} {
		err := callNative(t, L, ended, c.fn, c.args)
		if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
			t.Errorf("%s(%s) under an ended context: %v, want the context's error", c.fn, c.args, err)
		}
	}
}

// The catastrophic pattern of the attack report is stopped when the
// budget ends while it runs (it would take hours to finish), and the
// stop comes promptly.
func TestCatastrophicPatternStopsAtTheBudget(t *testing.T) {
	L := limitedState(t, 0)
	for _, code := range []string{
		`string.find(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40))`,
		`string.gsub(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40), "")`,
		`for _ in string.gmatch(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40)) do end`,
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		L.SetContext(ctx)
		start := time.Now()
		err := L.DoString(code)
		late := time.Since(start) - 50*time.Millisecond
		cancel()
		L.RemoveContext()
		if err == nil || !strings.Contains(err.Error(), context.DeadlineExceeded.Error()) {
			t.Fatalf("%s: %v, want the budget's error", code, err)
		}
		t.Logf("%s stopped %v after the budget", code, late.Round(time.Microsecond))
	}
}

// Property: a match that runs into its budget either finishes before the
// matcher's first look at it or stops at exactly that look; one that
// needs patCheckEvery steps or more never finishes with the budget spent.
func TestPatternBudgetProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	spent := errors.New("spent")
	for range 5000 {
		pin := make([]byte, 1+rng.IntN(40))
		for i := range pin {
			pin[i] = byte(rng.Uint32())
		}
		pat := genPattern(pin)
		if rng.IntN(4) == 0 { // catastrophic: nested optional items
			pat = strings.Repeat("a?", 8+rng.IntN(12)) + pat
		}
		src := strings.Repeat("a", rng.IntN(30)) + genSubject(pin[:len(pin)/2])
		polls := 0 // looks the whole match needs (counted up to 8)
		want, err := ourFindAll(pat, src, 0, -1, func() error {
			if polls++; polls == 8 {
				return spent
			}
			return nil
		})
		if err != nil && !errors.Is(err, spent) {
			continue // "pattern too complex"
		}
		after := 1 + rng.IntN(3) // the budget ends at this look
		looks := 0
		got, err := ourFindAll(pat, src, 0, -1, func() error {
			if looks++; looks >= after {
				return spent
			}
			return nil
		})
		switch {
		case polls >= after && !errors.Is(err, spent):
			t.Fatalf("%q on %q needs %d looks, the budget ended at look %d, yet it finished: %v", pat, src, polls, after, err)
		case polls >= after && looks != after:
			t.Fatalf("%q on %q: stopped at look %d, the budget ended at look %d", pat, src, looks, after)
		case polls < after && (err != nil || len(got) != len(want)):
			t.Fatalf("%q on %q: finished before the budget ended, yet %v, %v", pat, src, got, err)
		}
	}
}

// The functions that build a string refuse to build one past the limit;
// the error names the function.
func TestStringLimit(t *testing.T) {
	L := limitedState(t, 1<<20)
	for code, want := range map[string]string{
		`string.rep("x", 1000000000000)`:                              "string.rep: result of 931.3 GiB would pass the string limit (1.0 MiB)",
		`string.rep("ab", 600000)`:                                    "string.rep: result of 1.1 MiB",
		`table.concat({("x"):rep(600000), ("x"):rep(600000)})`:        "table.concat: result of 1.1 MiB",
		`string.gsub(("x"):rep(1000), "x", ("y"):rep(2000))`:          "string.gsub: result of",
		`string.format("%s%s", ("x"):rep(300000), ("x"):rep(300000))`: "string.format: result of",
		`string.format("%100d", 1)`:                                   "invalid format (width or precision too long)",
		`string.format("%*d", 5, 1)`:                                  "invalid format",
		`os.date(("%c"):rep(40000))`:                                  "os.date: result of",
		`assert(require("json").encode({("x"):rep(1048576)}))`:        ErrJSONTooLong.Error(),
	} {
		err := L.DoString(code)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", code, err, want)
		}
	}
	for _, code := range []string{
		`assert(#string.rep("ab", 500000) == 1000000)`,
		`assert(#table.concat({("x"):rep(500000), ("x"):rep(500000)}) == 1000000)`,
		`assert(#require("json").encode({("x"):rep(1000000)}) == 1000004)`,
		`assert(string.format("%99d", 1):len() == 99)`,
	} {
		if err := L.DoString(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
