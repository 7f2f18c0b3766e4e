package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// testWait bounds every wait of these tests.
const testWait = 10 * time.Second

// recEntry is one rec.put(...) call made by a script.
type recEntry struct {
	script string
	vals   []string
}

// luaRecorder is the Go side of the "rec" test module: scripts report what
// they did with rec.put(...), open gates with rec.open(name) and block on
// them with rec.wait(name) (false when the handler's context ends).
type luaRecorder struct {
	mu     sync.Mutex
	recs   []recEntry
	gates  map[string]chan struct{}
	notify chan struct{}
}

func newLuaRecorder() *luaRecorder {
	return &luaRecorder{gates: make(map[string]chan struct{}), notify: make(chan struct{}, 1)}
}

func (r *luaRecorder) module() bindings.Module {
	return bindings.Module{Name: "rec", Open: func(L *lua.LState, env *bindings.Runtime) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"put":  func(L *lua.LState) int { r.put(env.Script, L); return 0 },
			"open": func(L *lua.LState) int { close(r.gate(L.CheckString(1))); return 0 },
			"wait": func(L *lua.LState) int { L.Push(lua.LBool(r.wait(env, L.CheckString(1)))); return 1 },
			// scope(tag) records tag with the call and node of the run
			// in progress, as the bindings see them.
			"scope": func(L *lua.LState) int {
				sc, tag := env.Scope(), L.CheckString(1)
				L.SetTop(0)
				L.Push(lua.LString(tag))
				L.Push(lua.LString(sc.Call()))
				L.Push(lua.LString(sc.Node()))
				r.put(env.Script, L)
				return 0
			},
		})
	}}
}

func (r *luaRecorder) put(script string, L *lua.LState) {
	vals := make([]string, L.GetTop())
	for i := range vals {
		vals[i] = L.ToStringMeta(L.Get(i + 1)).String()
	}
	r.mu.Lock()
	r.recs = append(r.recs, recEntry{script, vals})
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

func (r *luaRecorder) gate(name string) chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.gates[name]
	if g == nil {
		g = make(chan struct{})
		r.gates[name] = g
	}
	return g
}

func (r *luaRecorder) wait(env *bindings.Runtime, name string) bool {
	select {
	case <-r.gate(name):
		return true
	case <-env.Scope().Context().Done():
		return false
	}
}

// count returns how many records there are.
func (r *luaRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.recs)
}

// matching returns the records whose first value is tag.
func (r *luaRecorder) matching(tag string) []recEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recEntry
	for _, rc := range r.recs {
		if len(rc.vals) > 0 && rc.vals[0] == tag {
			out = append(out, rc)
		}
	}
	return out
}

// waitCount waits until at least n records carry tag.
func (r *luaRecorder) waitCount(t *testing.T, tag string, n int) []recEntry {
	t.Helper()
	deadline := time.After(testWait)
	for {
		if got := r.matching(tag); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("waiting for %d %q records, have %d", n, tag, len(r.matching(tag)))
		}
	}
}

// obsRec is an Observer that keeps what it is told.
type obsRec struct {
	NopObserver
	mu       sync.Mutex
	done     []handlerDone
	dropped  map[string]int
	rejected map[string]int
	ended    map[string]int
	reloads  []string
	notify   chan struct{}
}

type handlerDone struct {
	script, handler string
	err             error
	killed          bool
}

func newObsRec() *obsRec {
	return &obsRec{dropped: map[string]int{}, rejected: map[string]int{}, ended: map[string]int{},
		notify: make(chan struct{}, 1)}
}

func (o *obsRec) poke() {
	select {
	case o.notify <- struct{}{}:
	default:
	}
}

func (o *obsRec) HandlerDone(script, handler string, _ time.Duration, err error, killed bool) {
	o.mu.Lock()
	o.done = append(o.done, handlerDone{script, handler, err, killed})
	o.mu.Unlock()
	o.poke()
}

func (o *obsRec) EventDropped(script, reason string) {
	o.mu.Lock()
	o.dropped[script+"/"+reason]++
	o.mu.Unlock()
	o.poke()
}

func (o *obsRec) SessionRejected(listener, reason string) {
	o.mu.Lock()
	o.rejected[listener+"/"+reason]++
	o.mu.Unlock()
	o.poke()
}

func (o *obsRec) SessionEnded(listener, script, cause string) {
	o.mu.Lock()
	o.ended[script+"/"+cause]++
	o.mu.Unlock()
	o.poke()
}

func (o *obsRec) Reload(ok bool, gen uint64) {
	o.mu.Lock()
	o.reloads = append(o.reloads, fmt.Sprintf("%v/%d", ok, gen))
	o.mu.Unlock()
	o.poke()
}

func (o *obsRec) reloadCount() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.reloads)
}

// failures returns the HandlerDone reports with an error.
func (o *obsRec) failures() []handlerDone {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []handlerDone
	for _, d := range o.done {
		if d.err != nil {
			out = append(out, d)
		}
	}
	return out
}

// waitFor waits until cond (evaluated under the lock) holds.
func (o *obsRec) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(testWait)
	for {
		o.mu.Lock()
		ok := cond()
		o.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-o.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// testHost is a Host over a temp scripts directory with the rec module.
type testHost struct {
	*Host
	dir string
	rec *luaRecorder
	obs *obsRec
}

// startHost writes files (name -> Lua source) and starts a host on them.
// Zero opts fields get test defaults.
func startHost(t *testing.T, files map[string]string, opts Options) *testHost {
	t.Helper()
	th := &testHost{dir: t.TempDir(), rec: newLuaRecorder(), obs: newObsRec()}
	for name, src := range files {
		th.write(t, name, src)
	}
	reg := bindings.NewRegistry()
	if err := reg.Add(th.rec.module()); err != nil {
		t.Fatal(err)
	}
	opts.ScriptsDir, opts.Registry, opts.Observer = th.dir, reg, th.obs
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	h, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	th.Host = h
	t.Cleanup(func() { th.shutdown(t) })
	return th
}

func (th *testHost) write(t *testing.T, name, src string) {
	t.Helper()
	p := filepath.Join(th.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (th *testHost) shutdown(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if err := th.Shutdown(ctx); err != nil && !errors.Is(err, ErrClosed) {
		t.Errorf("Shutdown: %v", err)
	}
}

// testLogger logs to t when -v is given, else discards.
func testLogger(t *testing.T) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// callEvent builds an event of a call with an Event-Sequence.
func callEvent(name, uuid string, seq int) *esl.Event {
	ev := esl.NewEvent(name)
	if uuid != "" {
		ev.Add("Unique-ID", uuid)
	}
	ev.Add("Event-Sequence", fmt.Sprint(seq))
	return ev
}

// all returns every record, in order.
func (r *luaRecorder) all() []recEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recEntry(nil), r.recs...)
}
