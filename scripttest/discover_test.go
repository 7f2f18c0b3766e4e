package scripttest

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// modLuaTree is a scripts directory with a mod_lua/ script and its test,
// beside a table script that requires a module.
var modLuaTree = map[string]string{
	"app/mod_lua/hello.lua":      "session:answer()\nsession:hangup('NORMAL_CLEARING')\n",
	"app/mod_lua/hello_test.lua": "it('answers', function()\n  local call = sim.call{}\n  call:run()\n  assert.same({ 'answer' }, call:app_names())\nend)\n",
	"app/echo.lua":               "local u = require('lib.util')\nreturn { session = function(s) s:answer() end, init = u.f }\n",
	"app/echo_test.lua":          "it('loads', function() assert.equals('echo', sim.script()) end)\n",
	"app/lib/util.lua":           "return { f = function() end }\n",
}

// A directory (or file) given outside the configured scripts directory is
// loaded as the scripts directory itself, as `check DIR` does: mod_lua/
// scripts are seen as such and modules resolve from it.
func TestPathsOutsideRootAreRoots(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, modLuaTree)
	app := filepath.Join(dir, "app")
	for _, paths := range [][]string{
		{app},
		{filepath.Join(app, "mod_lua")},
		{filepath.Join(app, "mod_lua", "hello_test.lua"), filepath.Join(app, "echo_test.lua")},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err := Run(ctx, Options{Root: filepath.Join(dir, "elsewhere"), Paths: paths})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || res.Passed == 0 {
			for _, f := range res.Files {
				if f.Err != nil {
					t.Logf("%s: %s", f.Path, failureText(f.Err))
				}
			}
			t.Errorf("%v: %s", paths, res.Summary())
		}
	}
}

func TestRootFor(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, modLuaTree)
	app := filepath.Join(dir, "app")
	hello := filepath.Join(app, "mod_lua", "hello_test.lua")
	cases := []struct {
		root  string
		paths []string
		file  string
		want  string
	}{
		{dir, nil, hello, dir},
		{"", []string{dir}, hello, dir},
		{"/elsewhere", []string{app}, hello, app},
		{"", []string{hello}, hello, app},
		{"", []string{filepath.Join(app, "mod_lua")}, hello, app},
		{"", []string{filepath.Join(app, "lib")}, filepath.Join(app, "lib", "x_test.lua"), app},
	}
	for _, c := range cases {
		if got := rootFor(c.root, c.paths, c.file); got != c.want {
			t.Errorf("rootFor(%q, %q, %q) = %q, want %q", c.root, c.paths, c.file, got, c.want)
		}
	}
}
