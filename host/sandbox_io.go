package host

import (
	"fmt"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// ioPolicy holds the resolved directories io may read and write.
type ioPolicy struct {
	read, write []string
}

// restrictIO wraps every io function that opens a file by name so that it
// only reaches ReadPaths/WritePaths; io.popen and io.tmpfile stay only with
// AllowOS.
func restrictIO(L *lua.LState, sb Sandbox) {
	iot := libTable(L, lua.IoLibName)
	if !sb.AllowOS {
		clearFields(L, iot, []string{"popen", "tmpfile"})
	}
	pol := ioPolicy{read: resolveAll(sb.ReadPaths), write: resolveAll(sb.WritePaths)}
	openMode := func(L *lua.LState) bool { return strings.ContainsAny(L.OptString(2, "r"), "wa+") }
	pol.wrap(L, iot, "open", openMode, true)
	pol.wrap(L, iot, "lines", nil, false)
	pol.wrap(L, iot, "input", nil, false)
	pol.wrap(L, iot, "output", func(*lua.LState) bool { return true }, false)
}

// wrap replaces io[name] by a function that checks a string first argument
// (a file name) against the policy before calling the original. isWrite
// (nil: never) tells whether the call writes. A denied call returns nil,
// message when soft (io.open's failure convention) and raises otherwise.
func (p ioPolicy) wrap(L *lua.LState, iot *lua.LTable, name string, isWrite func(*lua.LState) bool, soft bool) {
	orig := L.RawGet(iot, lua.LString(name))
	L.RawSet(iot, lua.LString(name), L.NewFunction(func(L *lua.LState) int {
		if file, ok := L.Get(1).(lua.LString); ok {
			write := isWrite != nil && isWrite(L)
			if !p.allowed(string(file), write) {
				return denyIO(L, name, string(file), soft)
			}
		}
		return callThrough(L, orig)
	}))
}

func denyIO(L *lua.LState, name, file string, soft bool) int {
	msg := fmt.Sprintf("%s: access denied by the sandbox", file)
	if soft {
		L.Push(lua.LNil)
		L.Push(lua.LString(msg))
		return 2
	}
	L.RaiseError("io.%s: %s", name, msg)
	return 0
}

// callThrough calls fn with the current arguments and returns all results.
func callThrough(L *lua.LState, fn lua.LValue) int {
	top := L.GetTop()
	L.Push(fn)
	for i := 1; i <= top; i++ {
		L.Push(L.Get(i))
	}
	L.Call(top, lua.MultRet)
	return L.GetTop() - top
}

// allowed reports whether file may be opened: writes need a WritePaths
// entry, reads either list.
func (p ioPolicy) allowed(file string, write bool) bool {
	real := resolvePath(file)
	if withinAny(real, p.write) {
		return true
	}
	return !write && withinAny(real, p.read)
}

func withinAny(p string, roots []string) bool {
	for _, r := range roots {
		rel, err := filepath.Rel(r, p)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func resolveAll(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, resolvePath(p))
	}
	return out
}

// resolvePath makes p absolute and resolves symlinks, so a link inside an
// allowed directory cannot point outside it. A file that does not exist yet
// is resolved through its directory.
func resolvePath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	dir, base := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(real, base)
	}
	return abs
}
