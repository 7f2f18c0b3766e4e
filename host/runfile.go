package host

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"time"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// One-shot scripts.
//
// RunFile runs one Lua file top to bottom, like `lua FILE ARG...`, in the
// same sandbox, with the same modules and the same require as the scripts
// of a generation: it is what `eslscript exec` runs. The file is plain
// top-level code; it need not return a table.

// ErrExitCode means a one-shot script returned a number that is not an
// exit code (an integer from 0 to 255).
var ErrExitCode = errors.New("host: bad exit code")

// RunFileOptions configure RunFile.
type RunFileOptions struct {
	// File is the Lua file to run; it may live anywhere.
	File string
	// Args are the script's arguments: argv[1..]. argv[0] is File.
	Args []string
	// Dir is the directory require resolves modules from, as in a
	// generation ("lib.util" is Dir/lib/util.lua, then "util" is tried as
	// Dir/util.lua and Dir/lib/util.lua). Empty means File's directory.
	// Every .lua file under Dir is compiled before File runs; one that does
	// not compile fails the run with its *LoadError. Unreadable
	// subdirectories are skipped.
	Dir string
	// Registry provides the Lua modules (nil: bindings.NewRegistry()).
	Registry *bindings.Registry
	// Sandbox is the policy; when File lies under Dir, a Sandbox.Dirs
	// entry containing it applies, as for a script.
	Sandbox Sandbox
	// Nodes are the FreeSWITCH connections by name. esl is bound to the
	// first by name (the default node, as for init functions and timers);
	// esl.node(name) reaches any of them. None: esl calls fail with
	// bindings.ErrNoESL.
	Nodes map[string]bindings.Commander
	// Logger receives the log module's lines (nil: slog.Default()).
	Logger *slog.Logger
	// Stdout receives what print writes (nil: os.Stdout).
	Stdout io.Writer
	// KV is the kv module's store (nil: a fresh in-memory one).
	KV bindings.KV
	// Timeout bounds the run (0: only ctx bounds it). A script still
	// running then is stopped, even in an endless loop.
	Timeout time.Duration
	// Limits bound the run beyond Timeout: busy time, memory, the
	// strings library calls build (defaults for zero fields).
	Limits ScriptLimits
}

// RunFile runs opts.File once in a fresh sandboxed state and returns its
// exit code: the integer the chunk returns (0 to 255), else 0. Globals:
// argv (argv[0] = File, argv[1..] = Args) and freeswitch (as in mod_lua);
// every registry module can be required. The state's context is ctx
// bounded by Timeout; when it ends the script is stopped. Timers still
// pending when the chunk returns are cancelled; bgapi job:wait and
// freeswitch.msleep run due timer callbacks while they wait.
//
// Errors: a *LoadError when File or a file under Dir does not compile
// (or a Sandbox.Dirs key is bad, ErrSandboxDir); a *RunError when the
// chunk raises, times out or is cancelled, or when a timer or bgapi
// callback it ran raised (the first such error, once the chunk returns); ErrExitCode for a returned
// number that is not an exit code; a plain error when File cannot be read.
func RunFile(ctx context.Context, opts RunFileOptions) (int, error) {
	r, err := newFileRun(opts)
	if err != nil {
		return 0, err
	}
	return r.run(ctx)
}

// fileRun is one RunFile call: the compiled file and its generation.
type fileRun struct {
	opts RunFileOptions
	file *luaFile
	gen  *Generation

	cbErr  error  // the first error a callback (timer, bgapi) raised
	cbWhat string // its kind
}

// newFileRun compiles File and the files of Dir into a generation that
// has no scripts, only modules for require.
func newFileRun(opts RunFileOptions) (*fileRun, error) {
	if opts.Registry == nil {
		opts.Registry = bindings.NewRegistry()
	}
	dir, err := runDir(opts)
	if err != nil {
		return nil, err
	}
	f, err := compileRunFile(opts.File, dir)
	if err != nil {
		return nil, err
	}
	if err := opts.Sandbox.checkDirs(dir); err != nil {
		return nil, err
	}
	files, errs := compileAll(readModuleSources(dir))
	if len(errs) > 0 {
		return nil, firstOf(errs)
	}
	l := &Loader{Dir: dir, Registry: opts.Registry, Sandbox: opts.Sandbox, Limits: opts.Limits}
	return &fileRun{opts: opts, file: f, gen: newGeneration(l, files)}, nil
}

// runDir is the require directory: Dir, or File's directory.
func runDir(opts RunFileOptions) (string, error) {
	if opts.File == "" {
		return "", errors.New("host: no file to run")
	}
	if opts.Dir != "" {
		return opts.Dir, nil
	}
	return filepath.Dir(opts.File), nil
}

// run runs the chunk and turns its outcome into an exit code or an error.
func (r *fileRun) run(parent context.Context) (int, error) {
	ctx, cancel := r.context(parent)
	defer cancel()
	run := startRun(ctx, r.gen.limits)
	defer run.end()
	loop, done := bindings.NewQueue(0), make(chan struct{})
	env := r.env(run.ctx.wait, loop, done)
	L := r.gen.newSandboxState(env, r.file.rel)
	defer L.Close()
	defer close(done)
	defer loop.Close()
	defer bindings.StopTimers(L)
	r.setGlobals(L)
	ret, err := r.call(run.ctx, L)
	if err != nil {
		return 0, err
	}
	if r.cbErr != nil {
		re := newRunError(ctx, r.file, r.cbErr)
		re.Msg += " (in a " + r.cbWhat + " callback)"
		return 0, re
	}
	return exitCodeOf(r.file.path, ret)
}

// context bounds parent by Timeout.
func (r *fileRun) context(parent context.Context) (context.Context, context.CancelFunc) {
	if r.opts.Timeout > 0 {
		return context.WithTimeout(parent, r.opts.Timeout)
	}
	return context.WithCancel(parent)
}

// env is the state's environment: the default node, every node by name,
// a loop for timers and bgapi callbacks, ctx for blocking calls.
func (r *fileRun) env(ctx context.Context, loop *bindings.Queue, done chan struct{}) *bindings.Env {
	kv := r.opts.KV
	if kv == nil {
		kv = bindings.NewMemoryKV(nil)
	}
	env := &bindings.Env{
		Script:  scriptName(r.file.rel),
		Logger:  r.opts.Logger,
		KV:      kv,
		Loop:    loop,
		Done:    done,
		Context: func() context.Context { return ctx },
		Nodes:   func(name string) bindings.Commander { return r.opts.Nodes[name] },
		// Callbacks run on this goroutine (while the chunk waits): the
		// first error fails the run once the chunk returns.
		OnCallbackError: func(what, _ string, err error) {
			if r.cbErr == nil {
				r.cbErr, r.cbWhat = err, what
			}
		},
	}
	if name := defaultNodeName(r.opts.Nodes); name != "" {
		env.Node, env.ESL = name, r.opts.Nodes[name]
	}
	return env
}

// defaultNodeName is the first node name in order ("" with none).
func defaultNodeName(nodes map[string]bindings.Commander) string {
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// call runs the chunk under ctx and returns its first result.
func (r *fileRun) call(ctx context.Context, L *lua.LState) (lua.LValue, error) {
	L.SetContext(ctx)
	defer L.RemoveContext()
	L.Push(L.NewFunctionFromProto(r.file.proto))
	if err := L.PCall(0, 1, nil); err != nil {
		return nil, newRunError(ctx, r.file, err)
	}
	ret := L.Get(-1)
	L.Pop(1)
	return ret, nil
}
