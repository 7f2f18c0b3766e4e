package host

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestBuildSampleDir(t *testing.T) {
	dir := filepath.Join("testdata", "basic")
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	var names []string
	for _, s := range g.Scripts() {
		names = append(names, s.Name)
	}
	if want := []string{"consumer", "ivr/main"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("scripts = %v, want %v (lib/, _test.lua, hidden and temp files skipped)", names, want)
	}
	c := g.Script("consumer")
	if want := []string{"*", "CHANNEL_ANSWER", "sofia::register"}; !reflect.DeepEqual(c.Events, want) {
		t.Errorf("events = %v, want %v", c.Events, want)
	}
	wantTimers := []TimerSpec{{Name: "cleanup", Every: 500 * time.Millisecond}, {Name: "report", Every: time.Minute}}
	if !c.Init || c.Session || !reflect.DeepEqual(c.Timers, wantTimers) {
		t.Errorf("consumer = %+v", c)
	}
	if s := g.Script("ivr/main"); !s.Session || len(s.Events) != 0 || s.Path != filepath.Join(dir, "ivr", "main.lua") {
		t.Errorf("ivr/main = %+v", s)
	}
	if g.ID != 1 || len(g.Hash) != 64 || g.Script("lib/util") != nil {
		t.Errorf("ID %d hash %q lib script %v", g.ID, g.Hash, g.Script("lib/util"))
	}
}

func TestSyntaxErrorLine(t *testing.T) {
	cases := []struct {
		src      string
		line     int
		contains string
	}{
		{"local a = 1\nlocal b = 2\nlocal c = = 3\nreturn {}\n", 3, "near '='"},
		{"return {\n  session = function()\n    if x then\n  end,\n}\n", 4, "near ','"},
		{"local function f()\n  return 1\n", 2, "at end of file"},
	}
	for _, c := range cases {
		dir := writeTree(t, map[string]string{"ok.lua": "return {init = function() end}", "sub/bad.lua": c.src})
		le := buildErr(t, &Loader{Dir: dir})
		if le.File != filepath.Join(dir, "sub", "bad.lua") || le.Line != c.line {
			t.Errorf("%q: error at %s:%d, want sub/bad.lua:%d (%v)", c.src, le.File, le.Line, c.line, le)
		}
		wantContains(t, le.Error(), "host: "+filepath.Join(dir, "sub", "bad.lua")+":")
		wantContains(t, le.Msg, c.contains)
	}
}

func TestLoadReportsEveryFailure(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.lua": "return (", "b.lua": "return 1", "c.lua": "return {x=1}", "d.lua": "x = = 1"})
	le := buildErr(t, &Loader{Dir: dir})
	if le.Line != 1 || !strings.HasSuffix(le.File, "a.lua") || len(le.Others) != 1 || !strings.HasSuffix(le.Others[0].File, "d.lua") {
		t.Fatalf("syntax errors first, every one: %+v", le)
	}
	writeFile(t, dir, "a.lua", "return {init = function() end}")
	writeFile(t, dir, "d.lua", "return {init = function() end}")
	le = buildErr(t, &Loader{Dir: dir})
	if !strings.HasSuffix(le.File, "b.lua") || len(le.Others) != 1 {
		t.Fatalf("got %+v, want b.lua first and c.lua", le)
	}
	want := "host: " + filepath.Join(dir, "b.lua") + ":1: script must return a table, got number\n" +
		"host: " + filepath.Join(dir, "c.lua") + ":1: unknown key \"x\" (want events, session, init, timers or every_instance)"
	if le.Error() != want {
		t.Errorf("error text:\n%s\nwant:\n%s", le.Error(), want)
	}
}

// Validation errors point at the line of the field at fault, in both
// usual shapes of a script (a table constructor returned, or a module
// table filled in and returned by name).
func TestValidationPointsAtTheField(t *testing.T) {
	cases := []struct {
		src  string
		line int
	}{
		{"return {\n  init = function() end,\n  events = {\n    CHANNEL_ANSWER = function() end,\n    DTMF = 'x',\n  },\n}\n", 5},
		{"return {\n  init = function() end,\n\n  sesion = function() end,\n}\n", 4},
		{"return {\n  timers = {\n    t = {\n      every = 0,\n      fn = function() end },\n  },\n}\n", 4},
		{"return {\n  timers = {\n    t = {\n      every = 10,\n    },\n  },\n}\n", 3},
		{"local M = {}\nfunction M.session() end\nM.init = 5\nreturn M\n", 3},
		{"local M = {\n  events = {\n    DTMF = 1,\n  },\n}\nreturn M\n", 3},
		{"local t = {}\nlocal function mk() return t end\nreturn mk()\n", 3}, // unknown shape: the return line
	}
	for _, c := range cases {
		dir := writeTree(t, map[string]string{"s.lua": c.src})
		le := buildErr(t, &Loader{Dir: dir})
		if le.Line != c.line {
			t.Errorf("%q: error at line %d (%s), want %d", c.src, le.Line, le.Msg, c.line)
		}
	}
}

func TestRuntimeErrorAtLoad(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.lua":       "local x = 1\n\nerror('boom at top')\nreturn {}\n",
		"a.lua":          "local m = require('lib.broken')\nreturn {init = function() end}\n",
		"lib/broken.lua": "local t = {}\nreturn t.missing.field\n",
	})
	le := buildErr(t, &Loader{Dir: dir})
	if le.File != filepath.Join(dir, "lib", "broken.lua") || le.Line != 2 {
		t.Errorf("error in required module at %s:%d, want lib/broken.lua:2 (%v)", le.File, le.Line, le)
	}
	writeFile(t, dir, "a.lua", "return {init = function() end}")
	le = buildErr(t, &Loader{Dir: dir})
	if le.File != filepath.Join(dir, "main.lua") || le.Line != 3 || le.Msg != "boom at top" {
		t.Errorf("got %s:%d %q, want main.lua:3 boom at top", le.File, le.Line, le.Msg)
	}
}

func TestLoadTimeout(t *testing.T) {
	dir := writeTree(t, map[string]string{"spin.lua": "while true do end\nreturn {}"})
	le := buildErr(t, &Loader{Dir: dir, LoadTimeout: 50 * time.Millisecond})
	wantContains(t, le.Msg, "still running after 50ms")
}

func TestValidationMessages(t *testing.T) {
	cases := []struct{ src, msg string }{
		{"return 42", "script must return a table, got number"},
		{"return nil", "script must return a table, got nil"},
		{"return {}", "script has no events, session, init or timers"},
		{"return {events = {}}", "script has no events, session, init or timers"},
		{"return {sesion = function() end}", `unknown key "sesion" (want events, session, init, timers or every_instance)`},
		{"return {function() end}", "unknown key 1 (want events, session, init, timers or every_instance)"},
		{"return {events = 'CHANNEL_ANSWER'}", "events must be a table, got string"},
		{"return {events = {CHANNEL_ANSWER = true}}", `events["CHANNEL_ANSWER"] must be a function, got boolean`},
		{"return {events = {function() end}}", "events key 1 must be an event name"},
		{"return {session = {}}", "session must be a function, got table"},
		{"return {init = 1}", "init must be a function, got number"},
		{"return {timers = 5}", "timers must be a table, got number"},
		{"return {timers = {t = function() end}}", "timers.t must be a table {every = ms, fn = function}, got function"},
		{"return {timers = {t = {fn = function() end}}}", "timers.t.every must be a positive number of milliseconds"},
		{"return {timers = {t = {every = 0, fn = function() end}}}", "timers.t.every must be a positive number of milliseconds"},
		{"return {timers = {t = {every = '10', fn = function() end}}}", "timers.t.every must be a positive number of milliseconds"},
		{"return {timers = {t = {every = 10}}}", "timers.t.fn must be a function, got nil"},
		{"return {every_instance = 1, init = function() end}", "every_instance must be a boolean, got number"},
		{"return {timers = {t = {every = 10, leader = 'yes', fn = function() end}}}", "timers.t.leader must be a boolean, got string"},
	}
	for _, c := range cases {
		dir := writeTree(t, map[string]string{"s.lua": "local x = 1\n\n" + c.src + "\n"})
		le := buildErr(t, &Loader{Dir: dir})
		if le.Msg != c.msg || le.Line != 3 {
			t.Errorf("%s:\n got line %d %q\nwant line 3 %q", c.src, le.Line, le.Msg, c.msg)
		}
	}
}

func TestValidationWithoutReturnStatement(t *testing.T) {
	dir := writeTree(t, map[string]string{"s.lua": "local x = 1\n"})
	le := buildErr(t, &Loader{Dir: dir})
	if le.Line != 0 || le.Error() != "host: "+filepath.Join(dir, "s.lua")+": script must return a table, got nil" {
		t.Errorf("got %q", le.Error())
	}
}

func TestUnchangedAndKnownBad(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.lua": "return {init = function() end}"})
	l := &Loader{Dir: dir}
	g1 := mustBuild(t, l, nil)
	if _, err := l.Build(g1); !errors.Is(err, ErrUnchanged) {
		t.Fatalf("same content: %v, want ErrUnchanged", err)
	}
	writeFile(t, dir, "a_test.lua", "syntax error (")
	writeFile(t, dir, "notes.txt", "not lua")
	if _, err := l.Build(g1); !errors.Is(err, ErrUnchanged) {
		t.Fatalf("only skipped files changed: %v, want ErrUnchanged", err)
	}
	writeFile(t, dir, "a.lua", "return {init = function() end}\n\nreturn")
	first := buildErr(t, l)
	_, err := l.Build(g1)
	var le *LoadError
	if !errors.Is(err, ErrKnownBad) || errors.Is(err, ErrUnchanged) || !errors.As(err, &le) || le != first {
		t.Fatalf("same broken content: %v, want ErrKnownBad wrapping %v", err, first)
	}
	writeFile(t, dir, "a.lua", "return {session = function() end}")
	g2 := mustBuild(t, l, g1)
	if g2.ID != 2 || g2.Hash == g1.Hash || !g2.Script("a").Session {
		t.Fatalf("fixed: ID %d, same hash %v", g2.ID, g2.Hash == g1.Hash)
	}
}

func TestHashSeparatesNameAndContent(t *testing.T) {
	a := hashSources([]sourceFile{{rel: "a.lua", src: []byte("bc")}})
	b := hashSources([]sourceFile{{rel: "a.luab", src: []byte("c")}})
	if a == b {
		t.Fatal("hash collides when bytes move from content to name")
	}
}

func TestIgnoredNames(t *testing.T) {
	for name, want := range map[string]bool{
		".x.lua": true, "x.lua~": true, ".#x.lua": true, ".x.lua.swp": true, "4913": true,
		"x.lua": false, "lib": false, "x_test.lua": false,
	} {
		if got := ignoredName(name); got != want {
			t.Errorf("ignoredName(%q) = %v", name, got)
		}
	}
}

func TestTimeoutIsNotRememberedAsBad(t *testing.T) {
	dir := writeTree(t, map[string]string{"spin.lua": "while true do end\nreturn {}"})
	l := &Loader{Dir: dir, LoadTimeout: 20 * time.Millisecond}
	buildErr(t, l)
	_, err := l.Build(nil)
	if errors.Is(err, ErrKnownBad) {
		t.Fatal("a timed-out load was remembered as known bad")
	}
}

// Files under oneshot/ are scripts for `eslscript exec`: compiled with the
// generation (a syntax error fails it), never run or served by the daemon.
func TestOneShotFolderIsCompiledNotRun(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ivr.lua":             `return { session = function(s) end }`,
		"oneshot/report.lua":  `print(argv[1]); error("must not run at load")`,
		"ops/oneshot/job.lua": `return #argv`,
	})
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	if len(g.Scripts()) != 1 || g.Script("oneshot/report") != nil || g.Script("ops/oneshot/job") != nil {
		t.Fatalf("scripts = %v, want only ivr", g.Scripts())
	}
	broken := writeTree(t, map[string]string{"ivr.lua": `return { session = function(s) end }`, "oneshot/bad.lua": "print(("})
	var le *LoadError
	if _, err := (&Loader{Dir: broken}).Build(nil); !errors.As(err, &le) || !strings.HasSuffix(le.File, filepath.Join("oneshot", "bad.lua")) {
		t.Fatalf("syntax error in oneshot/ not reported: %v", err)
	}
}
