package host

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSandboxDefaults(t *testing.T) {
	absent := []string{"channel", "_printregs"}
	for _, name := range absent {
		if got := evalIn(t, Sandbox{}, "return type("+luaPath(name)+")").String(); got != "nil" {
			t.Errorf("%s is %s, want absent by default", name, got)
		}
	}
	// disabled: calling them raises an error naming the sandbox (sandbox_errors_test.go)
	for _, name := range []string{"os.execute", "os.remove", "os.rename", "os.exit", "os.tmpname", "os.setenv", "os.setlocale"} {
		if got := disabledMessage(t, Sandbox{}, name+"()"); !strings.Contains(got, "disabled by the sandbox") {
			t.Errorf("%s is not disabled by default: %q", name, got)
		}
	}
	for _, name := range []string{"io.open", "debug.getinfo", "dofile", "loadfile"} {
		if got := disabledMessage(t, Sandbox{}, name+"()"); got == "" || strings.Contains(got, "nil value") {
			t.Errorf("%s: %q, want a sandbox error", name, got)
		}
	}
	present := []string{"os.time", "os.clock", "os.date", "os.getenv", "os.difftime", "loadstring", "load",
		"pcall", "require", "string.format", "table.insert", "math.floor", "coroutine.wrap", "setmetatable"}
	for _, name := range present {
		if got := evalIn(t, Sandbox{}, "return type("+luaPath(name)+")").String(); got != "function" {
			t.Errorf("%s is %s, want a function", name, got)
		}
	}
	if got := evalIn(t, Sandbox{}, "return loadstring('return 1 + 2')()").String(); got != "3" {
		t.Errorf("loadstring: %s", got)
	}
}

// luaPath turns "os.execute" into a nil-safe Lua expression.
func luaPath(name string) string {
	lib, fn, ok := strings.Cut(name, ".")
	if !ok {
		return "_G['" + name + "']"
	}
	return fmt.Sprintf("(%s or {})['%s']", lib, fn)
}

func TestSandboxAllowOS(t *testing.T) {
	for _, name := range []string{"os.execute", "os.remove", "os.rename", "os.exit", "os.tmpname"} {
		if got := evalIn(t, Sandbox{AllowOS: true}, "return type("+luaPath(name)+")").String(); got != "function" {
			t.Errorf("AllowOS: %s is %s", name, got)
		}
	}
	if got := disabledMessage(t, Sandbox{AllowOS: true}, `io.open("/etc/hosts")`); !strings.Contains(got, "disabled by the sandbox") {
		t.Errorf("AllowOS alone opened io: %q", got)
	}
	for _, name := range []string{"dofile", "loadfile", "debug.getinfo"} {
		if got := disabledMessage(t, Sandbox{AllowOS: true, AllowIO: true}, name+"()"); !strings.Contains(got, "not available to scripts") {
			t.Errorf("%s is opened by opt-ins: %q", name, got)
		}
	}
}

func TestSandboxIOPaths(t *testing.T) {
	readDir, writeDir, outside := t.TempDir(), t.TempDir(), t.TempDir()
	writeFile(t, readDir, "in.txt", "read me")
	writeFile(t, outside, "secret.txt", "secret")
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(readDir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	sb := Sandbox{AllowIO: true, ReadPaths: []string{readDir}, WritePaths: []string{writeDir}}
	cases := []struct{ code, want string }{
		{openRead(filepath.Join(readDir, "in.txt")), "read me"},
		{openRead(filepath.Join(readDir, "..", filepath.Base(outside), "secret.txt")), "denied"},
		{openRead(filepath.Join(readDir, "link.txt")), "denied"},
		{openRead(filepath.Join(outside, "secret.txt")), "denied"},
		{openRead("/etc/hostname"), "denied"},
		{fmt.Sprintf("local f, err = io.open(%q, 'w'); return tostring(err)", filepath.Join(readDir, "new.txt")), "denied"},
		{fmt.Sprintf("local f = assert(io.open(%q, 'w')); f:write('x'); f:close(); return 'wrote'", filepath.Join(writeDir, "new.txt")), "wrote"},
		{fmt.Sprintf("local ok, err = pcall(io.lines, %q); return tostring(err)", filepath.Join(outside, "secret.txt")), "denied"},
		{fmt.Sprintf("local ok, err = pcall(io.output, %q); return tostring(err)", filepath.Join(readDir, "o.txt")), "denied"},
		{fmt.Sprintf("local n = 0; for l in io.lines(%q) do n = n + 1 end; return 'lines ' .. n", filepath.Join(readDir, "in.txt")), "lines 1"},
		{"return type(io.popen) .. type(io.tmpfile)", "nilnil"},
	}
	for _, c := range cases {
		if got := evalIn(t, sb, c.code).String(); !strings.Contains(got, c.want) {
			t.Errorf("%s\n got %q, want %q", c.code, got, c.want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(writeDir, "new.txt")); err != nil || string(b) != "x" {
		t.Errorf("written file: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(readDir, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("denied write created the file: %v", err)
	}
	if got := evalIn(t, Sandbox{AllowIO: true, AllowOS: true}, "return type(io.popen)").String(); got != "function" {
		t.Errorf("AllowIO+AllowOS: io.popen is %s", got)
	}
}

func openRead(p string) string {
	return fmt.Sprintf("local f, err = io.open(%q); if not f then return err end; local s = f:read('*a'); f:close(); return s", p)
}

func TestStateLimits(t *testing.T) {
	got := evalIn(t, Sandbox{}, "local function f(n) return 1 + f(n + 1) end; local ok, err = pcall(f, 1); return tostring(err)").String()
	wantContains(t, got, "stack overflow")
}
