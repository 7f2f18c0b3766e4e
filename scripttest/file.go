package scripttest

import (
	"context"
	_ "embed"
	"errors"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

//go:embed prelude.lua
var preludeSrc string

// preludeName is the chunk name of the prelude (prelude.lua skips its
// frames when locating a failed assertion).
const preludeName = "<eslscript test prelude>"

// fileRunner runs the tests of one test file in its own Lua state.
type fileRunner struct {
	opts     Options
	path     string
	root     string
	script   string // the script the file tests, by host name
	L        *lua.LState
	internal *lua.LTable
	world    *world // the running test's world, nil between tests
	// firstError is the first error text raised in the running test (see
	// luaOnError).
	firstError string
}

// runFile runs one test file and reports each test to the reporters.
func runFile(ctx context.Context, opts Options, path string, loads map[string]*Failure) *FileResult {
	start := time.Now()
	fr := &FileResult{Path: path}
	defer func() { fr.Duration = time.Since(start) }()
	root := rootFor(opts.Root, opts.Paths, path)
	if f := checkScripts(opts, root, loads); f != nil {
		fr.Err = f
		return fr
	}
	r := &fileRunner{opts: opts, path: path, root: root, script: scriptUnder(root, path)}
	defer r.close()
	tests, f := r.load()
	if f != nil {
		fr.Err = f
		return fr
	}
	r.plan(tests)
	for _, t := range tests {
		if ctx.Err() != nil {
			break
		}
		tr := r.runTest(ctx, t)
		if tr == nil {
			fr.Filtered++
			continue
		}
		fr.Tests = append(fr.Tests, tr)
		for _, rep := range opts.Reporters {
			rep.TestDone(path, tr)
		}
	}
	return fr
}

// load opens the test state, runs the prelude and the test file's top
// level (which declares the tests) and returns the declared tests.
func (r *fileRunner) load() ([]*lua.LTable, *Failure) {
	r.L = newTestState()
	r.installSim()
	installTestRequire(r.L, r.opts.Registry)
	fn, err := r.L.Load(strings.NewReader(preludeSrc), preludeName)
	if err != nil {
		return nil, &Failure{Kind: KindError, Message: "prelude: " + err.Error(), File: r.path}
	}
	r.L.Push(fn)
	r.L.Push(r.nativeTable())
	if err := r.L.PCall(1, 1, nil); err != nil {
		return nil, &Failure{Kind: KindError, Message: "prelude: " + err.Error(), File: r.path}
	}
	r.internal = r.L.CheckTable(-1)
	r.L.Pop(1)
	if f := r.runTopLevel(); f != nil {
		return nil, f
	}
	return r.declared()
}

// runTopLevel compiles and runs the test file (describe blocks run now).
func (r *fileRunner) runTopLevel() *Failure {
	fn, err := r.L.LoadFile(r.path)
	if err != nil {
		return syntaxFailure(r.path, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.Timeout)
	defer cancel()
	r.L.SetContext(ctx)
	defer r.L.RemoveContext()
	r.L.Push(fn)
	if err := r.L.PCall(0, 0, nil); err != nil {
		f := errorFailure(r.path, err)
		f.Message = "test file failed to load: " + f.Message
		return f
	}
	return nil
}

// declared calls the prelude's tests() and returns its list.
func (r *fileRunner) declared() ([]*lua.LTable, *Failure) {
	if err := r.L.CallByParam(lua.P{Fn: r.internal.RawGetString("tests"), NRet: 1, Protect: true}); err != nil {
		return nil, errorFailure(r.path, err)
	}
	list := r.L.CheckTable(-1)
	r.L.Pop(1)
	var out []*lua.LTable
	for i := 1; i <= list.Len(); i++ {
		out = append(out, list.RawGetInt(i).(*lua.LTable))
	}
	return out, nil
}

// runTest runs one declared test in a fresh world; nil when filtered out.
func (r *fileRunner) runTest(ctx context.Context, t *lua.LTable) *TestResult {
	name := lua.LVAsString(t.RawGetString("name"))
	if r.opts.Filter != nil && !r.opts.Filter.MatchString(name) {
		return nil
	}
	tr := &TestResult{Name: name, File: r.path, Line: int(lua.LVAsNumber(t.RawGetString("line")))}
	start := time.Now()
	defer func() { tr.Duration = time.Since(start) }()
	if t.RawGetString("fn") == lua.LNil {
		tr.Status = Skipped
		return tr
	}
	tr.Failure = r.execute(ctx, t)
	if tr.Failure != nil {
		tr.Status = Failed
	}
	return tr
}

// execute runs the test's hooks and body under its budget.
func (r *fileRunner) execute(parent context.Context, t *lua.LTable) *Failure {
	ctx, cancel := context.WithTimeout(parent, r.opts.Timeout)
	defer cancel()
	w, err := newWorld(ctx, r.worldConfig())
	if err != nil {
		if w != nil {
			w.close()
		}
		return r.setupFailure(err, ctx)
	}
	r.world, r.firstError = w, ""
	defer func() {
		r.world = nil
		w.close()
	}()
	r.L.SetContext(ctx)
	err = r.L.CallByParam(lua.P{Fn: r.internal.RawGetString("run"), NRet: 1, Protect: true}, t)
	r.L.RemoveContext()
	var v lua.LValue = lua.LNil
	if err == nil {
		v = r.L.Get(-1)
		r.L.Pop(1)
	}
	if ctx.Err() != nil {
		return r.budgetFailure(t, err, v)
	}
	if err != nil {
		return errorFailure(r.path, err)
	}
	return failureOf(r.path, v, t)
}

// worldConfig is the configuration of this file's worlds.
func (r *fileRunner) worldConfig() worldConfig {
	return worldConfig{root: r.root, registry: r.opts.Registry, sandbox: r.opts.Sandbox,
		handlerBudget: min(r.opts.HandlerBudget, sessionBudgetFor(r.opts.Timeout)),
		sessionBudget: sessionBudgetFor(r.opts.Timeout), nodes: r.opts.Nodes}
}

// setupFailure reports a world that could not start.
func (r *fileRunner) setupFailure(err error, ctx context.Context) *Failure {
	if ctx.Err() != nil {
		return &Failure{Kind: KindTimeout, Message: "setup ran out of time: " + err.Error(), File: r.path}
	}
	return &Failure{Kind: KindError, Message: "cannot start the test: " + err.Error(), File: r.path}
}

// close closes the test state.
func (r *fileRunner) close() {
	if r.L != nil {
		r.L.Close()
	}
}

// errWorld is raised by sim functions used outside a test.
var errWorld = errors.New("sim is only available inside it, before_each and after_each")

// newTestState returns the Lua state of a test file: the standard
// libraries but io (debug included, for locating failed assertions).
func newTestState() *lua.LState {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}, {lua.OsLibName, lua.OpenOs},
		{lua.DebugLibName, lua.OpenDebug}, {lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	return L
}
