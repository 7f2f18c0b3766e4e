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
	st := r.gen.newState(r.runtime(), r.file.rel, ownQueue)
	defer st.close() // pending timers are cancelled
	r.setGlobals(st.L)
	ret, res := st.call(ctx, "main", r.scope(), monoNow(), st.L.NewFunctionFromProto(r.file.proto))
	if res.luaErr != nil {
		return 0, newRunError(res.stop, r.file, res.luaErr)
	}
	if r.cbErr != nil {
		re := newRunError(nil, r.file, r.cbErr)
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

// runtime is the state's Runtime: every node by name, the kv store, and
// the first error a callback raises kept for the run.
func (r *fileRun) runtime() *bindings.Runtime {
	kv := r.opts.KV
	if kv == nil {
		kv = bindings.NewMemoryKV(nil)
	}
	return &bindings.Runtime{
		Script: scriptName(r.file.rel),
		Logger: r.opts.Logger,
		KV:     kv,
		Nodes:  func(name string) bindings.Commander { return r.opts.Nodes[name] },
		// Callbacks run on this goroutine (while the chunk waits): the
		// first error fails the run once the chunk returns.
		OnCallbackError: func(what, _ string, err error) {
			if r.cbErr == nil {
				r.cbErr, r.cbWhat = err, what
			}
		},
	}
}

// scope is the run's scope: the default node (none without nodes).
func (r *fileRun) scope() bindings.Scope {
	name := defaultNodeName(r.opts.Nodes)
	if name == "" {
		return bindings.Scope{}
	}
	return bindings.NewScope(name, "", r.opts.Nodes[name])
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
