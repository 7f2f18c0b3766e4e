package scripttest

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// modStubs are the module stubs and spies of one test (stub.module,
// spy.module). The host's Lua states run on their own goroutines, so a
// stub is plain data kept here, under a mutex, and read by the wrapped
// module functions (wrapRegistry) on every call.
type modStubs struct {
	active atomic.Int32 // entries in force; 0 keeps the wrappers on the fast path

	mu      sync.Mutex
	modules map[string]bool            // registered module names
	funcs   map[string]map[string]bool // functions seen per opened module
	current map[string]*modEntry       // in force, by "module.func"
	byID    map[int]*modEntry          // every entry of the test (reverted too)
	nextID  int
}

// modEntry is one stub or spy: what it returns and the calls it saw.
type modEntry struct {
	id       int
	key      string
	through  bool          // a spy: call the real function
	returns  []any         // canned return values
	byArg    map[any][]any // first argument -> return values
	fallback []any         // returns when byArg has no entry
	calls    [][]any       // arguments of each call, as plain values
}

// newModStubs returns an empty set for the modules of reg.
func newModStubs(reg *bindings.Registry) *modStubs {
	m := &modStubs{modules: map[string]bool{}, funcs: map[string]map[string]bool{},
		current: map[string]*modEntry{}, byID: map[int]*modEntry{}}
	for _, n := range reg.Names() {
		m.modules[n] = true
	}
	return m
}

// wrapRegistry returns a registry whose modules' functions consult m
// before running (see wrapTable).
func wrapRegistry(reg *bindings.Registry, m *modStubs) *bindings.Registry {
	out := &bindings.Registry{}
	for _, mod := range reg.Modules() {
		open, name := mod.Open, mod.Name
		mod.Open = func(L *lua.LState, env *bindings.Runtime) *lua.LTable {
			t := open(L, env)
			m.seen(name, wrapTable(L, t, name, m, 0))
			return t
		}
		_ = out.Add(mod) // names are unique: they come from a registry
	}
	return out
}

// maxWrapDepth bounds the nested tables whose functions are wrapped
// (mod.f, mod.sub.f, mod.sub.sub.f).
const maxWrapDepth = 2

// wrapTable replaces every function of t (and of its nested tables, up
// to maxWrapDepth) by a wrapper keyed prefix.name, and returns the
// wrapped names relative to the module.
func wrapTable(L *lua.LState, t *lua.LTable, prefix string, m *modStubs, depth int) []string {
	var names []string
	var keys []string
	t.ForEach(func(k, v lua.LValue) {
		if s, ok := k.(lua.LString); ok {
			keys = append(keys, string(s))
		}
	})
	for _, k := range keys {
		key := prefix + "." + k
		switch v := t.RawGetString(k).(type) {
		case *lua.LFunction:
			t.RawSetString(k, m.wrapFunc(L, key, v))
			names = append(names, k)
		case *lua.LTable:
			if depth < maxWrapDepth && v.Metatable == lua.LNil {
				for _, n := range wrapTable(L, v, key, m, depth+1) {
					names = append(names, k+"."+n)
				}
			}
		}
	}
	return names
}

// seen records the functions of an opened module, for stub.module's
// check of the names it is given.
func (m *modStubs) seen(module string, names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	set := m.funcs[module]
	if set == nil {
		set = map[string]bool{}
		m.funcs[module] = set
	}
	for _, n := range names {
		set[n] = true
	}
}

// wrapFunc returns orig behind the stub table: with nothing in force it
// costs one atomic load; a spy records the call and calls orig; a stub
// records it and returns its values.
func (m *modStubs) wrapFunc(L *lua.LState, key string, orig *lua.LFunction) *lua.LFunction {
	return L.NewFunction(func(L *lua.LState) int {
		if m.active.Load() == 0 {
			return callThrough(L, orig)
		}
		rets, stubbed := m.intercept(key, L)
		if !stubbed {
			return callThrough(L, orig)
		}
		for _, v := range rets {
			L.Push(toLua(L, v))
		}
		return len(rets)
	})
}

// callThrough runs orig with the wrapper's arguments. A Go function
// without upvalues runs in the wrapper's frame (exactly as if called
// directly); anything else is called.
func callThrough(L *lua.LState, orig *lua.LFunction) int {
	if orig.IsG && len(orig.Upvalues) == 0 {
		return orig.GFunction(L)
	}
	n := L.GetTop()
	L.Push(orig)
	for i := 1; i <= n; i++ {
		L.Push(L.Get(i))
	}
	L.Call(n, lua.MultRet)
	return L.GetTop() - n
}

// intercept records a call of key when a stub or spy is in force and
// returns the stub's values (stubbed false: call the real function).
func (m *modStubs) intercept(key string, L *lua.LState) ([]any, bool) {
	if m.entry(key) == nil {
		return nil, false
	}
	args := make([]any, L.GetTop())
	for i := range args {
		args[i] = toPlain(L, L.Get(i+1), nil)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.current[key]
	if e == nil {
		return nil, false
	}
	e.calls = append(e.calls, args)
	if e.through {
		return nil, false
	}
	return e.result(args), true
}

// entry returns the entry in force for key, or nil.
func (m *modStubs) entry(key string) *modEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.current[key]
}

// result returns a stub's values for a call with args.
func (e *modEntry) result(args []any) []any {
	if e.byArg == nil {
		return e.returns
	}
	var first any
	if len(args) > 0 {
		first = args[0]
	}
	if r, ok := e.byArg[first]; ok {
		return r
	}
	return e.fallback
}

// set puts e in force for e.key (replacing any earlier one) and returns
// its id. It fails when the key names no module function.
func (m *modStubs) set(e *modEntry) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(e.key); err != nil {
		return 0, err
	}
	m.nextID++
	e.id = m.nextID
	if m.current[e.key] == nil {
		m.active.Add(1)
	}
	m.current[e.key] = e
	m.byID[e.id] = e
	return e.id, nil
}

// check validates "module.func": module must be registered and, once a
// script opened it, have that function.
func (m *modStubs) check(key string) error {
	mod, fn := m.split(key)
	if mod == "" || fn == "" {
		return fmt.Errorf("%q is not \"module.function\" of a registered module (modules: %s)", key, m.moduleList())
	}
	if set := m.funcs[mod]; set != nil && !set[fn] {
		return fmt.Errorf("module %q has no function %q", mod, fn)
	}
	return nil
}

// split cuts key after the longest registered module name it starts with.
func (m *modStubs) split(key string) (mod, fn string) {
	for name := range m.modules {
		if strings.HasPrefix(key, name+".") && len(name) > len(mod) {
			mod = name
		}
	}
	if mod == "" {
		return "", ""
	}
	return mod, key[len(mod)+1:]
}

func (m *modStubs) moduleList() string {
	names := make([]string, 0, len(m.modules))
	for n := range m.modules {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// revert takes entry id out of force (its calls stay readable).
func (m *modStubs) revert(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.byID[id]
	if e != nil && m.current[e.key] == e {
		delete(m.current, e.key)
		m.active.Add(-1)
	}
}

// calls returns a copy of the recorded calls of entry id.
func (m *modStubs) calls(id int) [][]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.byID[id]
	if e == nil {
		return nil
	}
	return append([][]any(nil), e.calls...)
}
