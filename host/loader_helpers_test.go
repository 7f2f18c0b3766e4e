package host

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// writeTree writes files (relative name -> content) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		writeFile(t, dir, name, src)
	}
	return dir
}

func writeFile(t testing.TB, dir, name, src string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustBuild builds dir with a nil registry and fails the test on error.
func mustBuild(t *testing.T, l *Loader, prev *Generation) *Generation {
	t.Helper()
	g, err := l.Build(prev)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return g
}

// buildErr builds and returns the *LoadError, failing on anything else.
func buildErr(t *testing.T, l *Loader) *LoadError {
	t.Helper()
	_, err := l.Build(nil)
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Build error = %v, want *LoadError", err)
	}
	return le
}

// callField calls tbl[name](args...) in L and returns its first result.
func callField(t *testing.T, L *lua.LState, tbl *lua.LTable, name string, args ...lua.LValue) lua.LValue {
	t.Helper()
	fn := tbl.RawGetString(name)
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, args...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// evalIn runs a chunk in a state of script "main" built from a one-script
// dir whose session function runs code; it returns the session's result.
func evalIn(t *testing.T, sb Sandbox, code string) lua.LValue {
	t.Helper()
	dir := writeTree(t, map[string]string{"main.lua": "return { session = function() " + code + " end }"})
	g := mustBuild(t, &Loader{Dir: dir, Sandbox: sb}, nil)
	L, tbl, err := openTestState(g, "main", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer L.Close()
	return callField(t, L, tbl, "session")
}

func wantContains(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("got %q, want it to contain %q", got, want)
	}
}

// openTestState opens a state of script in g as the host does (rt nil:
// one with only Script set) and returns its Lua state and handler table;
// the caller closes the Lua state.
func openTestState(g *Generation, script string, rt *bindings.Runtime) (*lua.LState, *lua.LTable, error) {
	if rt == nil {
		rt = &bindings.Runtime{}
	}
	rt.Script = script
	st, err := g.openState(rt, nil)
	if err != nil {
		return nil, nil, err
	}
	return st.L, st.tbl, nil
}
