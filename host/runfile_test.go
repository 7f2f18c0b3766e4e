package host

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// runFileWait bounds every RunFile of these tests.
const runFileWait = 10 * time.Second

// syncBuffer is a goroutine-safe bytes.Buffer.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// writerFunc is an io.Writer made of a function.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// dialSim starts a simulator and returns it with a client connected to it.
func dialSim(t *testing.T, opts esltest.Options) (*esltest.Server, *esl.Client) {
	t.Helper()
	sim := esltest.New(t, opts)
	ctx, cancel := context.WithTimeout(context.Background(), runFileWait)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password()})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return sim, c
}

// runFile runs opts with a deadline and returns the code, what the
// script printed and the error.
func runFile(t *testing.T, opts RunFileOptions) (int, string, error) {
	t.Helper()
	out := &syncBuffer{}
	opts.Stdout = out
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := RunFile(context.Background(), opts)
		done <- result{code, err}
	}()
	select {
	case r := <-done:
		return r.code, out.String(), r.err
	case <-time.After(runFileWait):
		t.Fatalf("RunFile(%s) did not return within %v", opts.File, runFileWait)
	}
	return 0, "", nil
}

func TestRunFileAPIAndArgv(t *testing.T) {
	t.Parallel()
	_, c := dialSim(t, esltest.Options{Hostname: "fs-exec"})
	dir := writeTree(t, map[string]string{"probe.lua": `local esl = require("esl")
print("host", esl.api("hostname"))
print("argv", argv[0], argv[1], argv[2], #argv)
print("fs", type(freeswitch), freeswitch.API():execute("hostname"))
`})
	file := filepath.Join(dir, "probe.lua")
	code, out, err := runFile(t, RunFileOptions{File: file, Args: []string{"a b", "-x"}, Nodes: map[string]bindings.Commander{"fs1": c}})
	if code != 0 || err != nil {
		t.Fatalf("code %d, err %v", code, err)
	}
	want := "host\tfs-exec\nargv\t" + file + "\ta b\t-x\t2\nfs\ttable\tfs-exec\n"
	if out != want {
		t.Errorf("printed %q, want %q", out, want)
	}
}

func TestRunFileDefaultNodeIsFirstByName(t *testing.T) {
	t.Parallel()
	_, a := dialSim(t, esltest.Options{Hostname: "fs-a"})
	_, b := dialSim(t, esltest.Options{Hostname: "fs-b"})
	dir := writeTree(t, map[string]string{"two.lua": `local esl = require("esl")
print(esl.api("hostname"), esl.node("b").api("hostname"), esl.node("nope") == nil)
`})
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "two.lua"), Nodes: map[string]bindings.Commander{"b": b, "a": a}})
	if err != nil || out != "fs-a\tfs-b\ttrue\n" {
		t.Errorf("err %v, printed %q", err, out)
	}
}

func TestRunFileRequire(t *testing.T) {
	t.Parallel()
	scripts := writeTree(t, map[string]string{
		"lib/util.lua":    `return { twice = function(x) return 2 * x end }`,
		"greet.lua":       `return "hello"`,
		"broken_test.lua": `this is not lua`, // tests are not modules: never compiled
	})
	elsewhere := writeTree(t, map[string]string{"job.lua": `local util = require("util")
print(util.twice(21), require("lib.util") == util, require("greet"))
`})
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(elsewhere, "job.lua"), Dir: scripts})
	if err != nil || out != "42\ttrue\thello\n" {
		t.Errorf("scripts dir: err %v, printed %q", err, out)
	}
	// Without Dir, modules come from the file's own directory.
	_, _, err = runFile(t, RunFileOptions{File: filepath.Join(elsewhere, "job.lua")})
	var re *RunError
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "util") {
		t.Errorf("file's dir has no util: err %v", err)
	}
	writeFile(t, elsewhere, "lib/util.lua", `return { twice = function(x) return 3 * x end }`)
	writeFile(t, elsewhere, "greet.lua", `return "hi"`)
	_, out, err = runFile(t, RunFileOptions{File: filepath.Join(elsewhere, "job.lua")})
	if err != nil || out != "63\ttrue\thi\n" {
		t.Errorf("file's dir: err %v, printed %q", err, out)
	}
}

func TestRunFileRuntimeError(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"boom.lua":    "local x = 1\nerror(\"boom \" .. x)\n",
		"deep.lua":    "local m = require(\"lib.m\")\nm.f()\n",
		"lib/m.lua":   "local M = {}\nfunction M.f()\n  local t = nil\n  return t.field\nend\nreturn M\n",
		"nothing.lua": "print('never')\n",
	})
	_, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "boom.lua")})
	var re *RunError
	if !errors.As(err, &re) || re.File != filepath.Join(dir, "boom.lua") || re.Line != 2 || re.Msg != "boom 1" {
		t.Fatalf("err = %#v", err)
	}
	if want := filepath.Join(dir, "boom.lua") + ":2: boom 1"; re.Where() != want || re.Error() != "host: "+want {
		t.Errorf("Where %q, Error %q", re.Where(), re.Error())
	}
	_, _, err = runFile(t, RunFileOptions{File: filepath.Join(dir, "deep.lua")})
	if !errors.As(err, &re) || re.File != filepath.Join(dir, "lib/m.lua") || re.Line != 4 || errors.Unwrap(err) != nil {
		t.Errorf("error in a module: %#v", err)
	}
}

func TestRunFileSyntaxError(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"bad.lua": "print('a')\nlocal = 3\n", "ok.lua": "print('ran')\n"})
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "bad.lua")})
	var le *LoadError
	if !errors.As(err, &le) || le.File != filepath.Join(dir, "bad.lua") || le.Line != 2 || out != "" {
		t.Fatalf("err = %v, printed %q", err, out)
	}
	// A module of the directory that does not compile fails the run too.
	_, out, err = runFile(t, RunFileOptions{File: filepath.Join(dir, "ok.lua")})
	if !errors.As(err, &le) || le.File != filepath.Join(dir, "bad.lua") || out != "" {
		t.Errorf("broken neighbour: err = %v, printed %q", err, out)
	}
}

func TestRunFileExitCode(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]int{"return 7": 7, "return 0": 0, "return 255": 255, "return 'x'": 0, "return {}": 0, "": 0} {
		dir := writeTree(t, map[string]string{"x.lua": src})
		code, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "x.lua")})
		if code != want || err != nil {
			t.Errorf("%q: code %d, err %v; want %d", src, code, err, want)
		}
	}
	for _, src := range []string{"return 256", "return -1", "return 1.5"} {
		dir := writeTree(t, map[string]string{"x.lua": src})
		if _, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "x.lua")}); !errors.Is(err, ErrExitCode) {
			t.Errorf("%q: err %v, want ErrExitCode", src, err)
		}
	}
}

func TestRunFileTimeoutStopsEndlessLoop(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"loop.lua": "print('start')\nwhile true do end\n"})
	start := time.Now()
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "loop.lua"), Timeout: 100 * time.Millisecond})
	var re *RunError
	if !errors.As(err, &re) || !errors.Is(err, context.DeadlineExceeded) || re.Msg != "stopped: timeout" || out != "start\n" {
		t.Fatalf("err = %v, printed %q", err, out)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("stopped after %v, before the timeout", d)
	}
}

func TestRunFileCancel(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"loop.lua": "print('start')\nwhile true do end\n"})
	started := make(chan struct{})
	out := writerFunc(func(p []byte) (int, error) { close(started); return len(p), nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := RunFile(ctx, RunFileOptions{File: filepath.Join(dir, "loop.lua"), Stdout: out})
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(runFileWait):
		t.Fatal("the script never printed")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(runFileWait):
		t.Fatal("cancelling did not stop the loop")
	}
}

func TestRunFileSandbox(t *testing.T) {
	dir := writeTree(t, map[string]string{"sb.lua": `local function disabled(f) local ok, err = pcall(f); return not ok and err:find("sandbox") ~= nil or (err or ""):find("not available") ~= nil end
print(disabled(function() return io.open end), disabled(function() os.execute("true") end),
  disabled(function() dofile("x") end), disabled(function() loadfile("x") end), os.getenv("ESL_PASSWORD"))
`, "io.lua": `print(io ~= nil, io.popen == nil, io.tmpfile == nil)
`})
	t.Setenv("ESL_PASSWORD", "s3cret")
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "sb.lua")})
	if err != nil || out != "true\ttrue\ttrue\ttrue\tnil\n" {
		t.Errorf("default: err %v, printed %q", err, out)
	}
	_, out, err = runFile(t, RunFileOptions{File: filepath.Join(dir, "io.lua"), Sandbox: Sandbox{AllowIO: true}})
	if err != nil || out != "true\ttrue\ttrue\n" {
		t.Errorf("allow_io: err %v, printed %q", err, out)
	}
}

func TestRunFileTimersAndJobs(t *testing.T) {
	t.Parallel()
	sim, c := dialSim(t, esltest.Options{})
	sim.HandleAPI("slow", func(string) string { return "+OK slow done" })
	dir := writeTree(t, map[string]string{"t.lua": `local timer, esl = require("timer"), require("esl")
local n = 0
timer.every(5, function() n = n + 1 end)
for _ = 1, 1000 do
  if n > 0 then break end
  freeswitch.msleep(5)
end
local job = esl.bgapi("slow")
print(n > 0, job:wait(5000))
timer.after(60000, function() print("late") end)
`})
	code, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "t.lua"), Nodes: map[string]bindings.Commander{"fs": c}})
	if code != 0 || err != nil || out != "true\t+OK slow done\n" {
		t.Errorf("code %d, err %v, printed %q", code, err, out)
	}
}
