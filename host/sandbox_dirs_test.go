package host

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// readerScript is a script whose session tries to read file with io and
// returns the content or why it could not.
func readerScript(file string) string {
	return fmt.Sprintf(`return { session = function()
  if not pcall(function() return io.open end) then return "no io" end
  local f, err = io.open(%q)
  if not f then return tostring(err) end
  local s = f:read("*a"); f:close(); return s
end }`, file)
}

// sessionResult builds a state of script and returns its session's result.
func sessionResult(t *testing.T, g *Generation, script string) string {
	t.Helper()
	L, tbl, err := openTestState(g, script, nil)
	if err != nil {
		t.Fatalf("NewState(%s): %v", script, err)
	}
	defer L.Close()
	return callField(t, L, tbl, "session").String()
}

func TestSandboxDirsGivePolicyPerDirectory(t *testing.T) {
	data := t.TempDir()
	writeFile(t, data, "rates.txt", "rates")
	file := filepath.Join(data, "rates.txt")
	dir := writeTree(t, map[string]string{
		"main.lua":           readerScript(file),
		"billing/charge.lua": readerScript(file),
		"billing/eu/vat.lua": readerScript(file),
		"billing/us/tax.lua": readerScript(file),
		"billing/lib/rd.lua": fmt.Sprintf("return function() local f, err = io.open(%q); if not f then return tostring(err) end; return f:read('*a') end", file),
		"billing/viamod.lua": `local rd = require("billing.lib.rd"); return { session = function() return rd() end }`,
		"rootmod.lua":        `local ok, rd = pcall(require, "billing.lib.rd"); return { session = function() local ok2, r = pcall(rd); return tostring(r) end }`,
		"billingextra/x.lua": readerScript(file),
	})
	io := Sandbox{AllowIO: true, ReadPaths: []string{data}}
	sb := Sandbox{Dirs: map[string]Sandbox{"billing": io, "billing/eu": {}}}
	g := mustBuild(t, &Loader{Dir: dir, Sandbox: sb}, nil)
	cases := []struct{ script, want string }{
		{"billing/charge", "rates"},                       // the directory's policy
		{"billing/us/tax", "rates"},                       // inherited by a subdirectory not listed
		{"billing/eu/vat", "no io"},                       // the deepest listed directory wins, whole
		{"main", "no io"},                                 // the root keeps the default
		{"billingextra/x", "no io"},                       // a name prefix is not a parent directory
		{"billing/viamod", "rates"},                       // a module runs under the requiring script's policy
		{"rootmod", "io.open is disabled by the sandbox"}, // ... so the same module has no io from the root
	}
	for _, c := range cases {
		if got := sessionResult(t, g, c.script); !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.script, got, c.want)
		}
	}
}

func TestSandboxDirsApplyAtLoad(t *testing.T) {
	data := t.TempDir()
	writeFile(t, data, "cfg.txt", "x")
	top := fmt.Sprintf("local f = assert(io.open(%q)); f:close(); return { session = function() end }", filepath.Join(data, "cfg.txt"))
	dir := writeTree(t, map[string]string{"billing/a.lua": top})
	sb := Sandbox{Dirs: map[string]Sandbox{"billing": {AllowIO: true, ReadPaths: []string{data}}}}
	mustBuild(t, &Loader{Dir: dir, Sandbox: sb}, nil)
	writeFile(t, dir, "b.lua", top)
	le := buildErr(t, &Loader{Dir: dir, Sandbox: sb})
	if !strings.HasSuffix(le.File, "b.lua") || le.Line != 1 {
		t.Errorf("load error = %v, want b.lua:1 (io is nil at the root)", le)
	}
}

func TestSandboxDirsRejectBadKeys(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.lua": "return { session = function() end }", "billing/a.lua": "return { init = function() end }"})
	for _, key := range []string{"../billing", "/etc", "./billing", "billing/", "", ".", "missing", "billing/a.lua", `billing\x`} {
		l := &Loader{Dir: dir, Sandbox: Sandbox{Dirs: map[string]Sandbox{key: {AllowIO: true}}}}
		_, err := l.Build(nil)
		if !errors.Is(err, ErrSandboxDir) || !strings.Contains(err.Error(), fmt.Sprintf("%q", key)) {
			t.Errorf("key %q: err = %v, want ErrSandboxDir naming the key", key, err)
		}
	}
	for _, key := range []string{"billing", "a/b", "a..b"} {
		if !validSandboxDir(key) {
			t.Errorf("validSandboxDir(%q) = false", key)
		}
	}
}
