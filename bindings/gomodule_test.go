package bindings

import (
	"context"
	"errors"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// crmClient stands in for an embedding program's client.
type crmClient struct {
	tiers map[string]string
	seen  []string
}

func (c *crmClient) Tier(number string) (string, error) {
	c.seen = append(c.seen, number)
	if t, ok := c.tiers[number]; ok {
		return t, nil
	}
	return "", errors.New("unknown caller")
}

func (c *crmClient) Add(a, b int) int { return a + b }

func (c *crmClient) Ping(ctx context.Context) error { return context.Cause(ctx) }

type ctxKey struct{}

func (c *crmClient) Who(ctx context.Context, greeting string) string {
	who, _ := ctx.Value(ctxKey{}).(string)
	return greeting + " " + who
}

// goState returns a state where require("crm") is c, under ctx.
func goState(t *testing.T, c *crmClient, ctx context.Context) *lua.LState {
	t.Helper()
	r := NewRegistry()
	if err := r.AddGo("crm", c); err != nil {
		t.Fatal(err)
	}
	L := lua.NewState()
	t.Cleanup(L.Close)
	r.Preload(L, (&testEnv{Context: func() context.Context { return ctx }}).runtime())
	return L
}

// A Go value's methods are the module's functions, under both names, with
// Go errors as nil, err and the run's context passed to a context
// parameter.
func TestAddGoMethods(t *testing.T) {
	c := &crmClient{tiers: map[string]string{"1000": "gold"}}
	ctx := context.WithValue(context.Background(), ctxKey{}, "run A")
	L := goState(t, c, ctx)
	run(t, L, `local crm = require("crm")
gold, gerr = crm.tier("1000")
none, nerr = crm.Tier("2000")
sum = crm.add(2, 3)
ping = crm.ping()
who = crm.who("hello")`)
	for name, want := range map[string]string{
		"gold": "gold", "gerr": "nil", "none": "nil", "nerr": "unknown caller",
		"sum": "5", "ping": "true", "who": "hello run A",
	} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if len(c.seen) != 2 || c.seen[0] != "1000" || c.seen[1] != "2000" {
		t.Errorf("Tier saw %v", c.seen)
	}
}

// A method taking a context sees the run's end: a cancelled run's call
// returns nil and the cause.
func TestAddGoCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("budget exceeded"))
	L := goState(t, &crmClient{}, ctx)
	run(t, L, `ok, err = require("crm").ping()`)
	if ok, err := global(L, "ok"), global(L, "err"); ok != "nil" || err != "budget exceeded" {
		t.Fatalf("ping() = %s, %s; want nil, budget exceeded", ok, err)
	}
}

// Misuse raises; a value with no methods or a taken name is refused.
func TestAddGoMisuse(t *testing.T) {
	L := goState(t, &crmClient{}, context.Background())
	if err := L.DoString(`require("crm").add("two", 3)`); err == nil {
		t.Error("add('two', 3) did not raise")
	}
	r := NewRegistry()
	if err := r.AddGo("n", 42); err == nil {
		t.Error("AddGo of an int succeeded")
	}
	if err := r.AddGo("json", &crmClient{}); !errors.Is(err, ErrModuleExists) {
		t.Errorf("AddGo over json: %v", err)
	}
}

// BenchmarkGoModuleCall compares a call through AddGo (reflection) with
// a hand-written function returning the same string.
func BenchmarkGoModuleCall(b *testing.B) {
	r := NewRegistry()
	_ = r.AddGo("crm", &crmClient{tiers: map[string]string{"1000": "gold"}})
	_ = r.Add(Module{Name: "hand", Open: func(L *lua.LState, _ *Runtime) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{"tier": func(L *lua.LState) int {
			L.Push(lua.LString("gold"))
			return 1
		}})
	}})
	for _, mod := range []string{"crm", "hand"} {
		b.Run(mod, func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			r.Preload(L, (&testEnv{Context: context.Background}).runtime())
			fn, err := L.LoadString(`local m = require("` + mod + `") for i = 1, ... do m.tier("1000") end`)
			if err != nil {
				b.Fatal(err)
			}
			L.Push(fn)
			L.Push(lua.LNumber(b.N))
			b.ResetTimer()
			L.Call(1, 0)
		})
	}
}
