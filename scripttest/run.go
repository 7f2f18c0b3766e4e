package scripttest

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/eslscript/eslscript/host"
)

// Run discovers the test files of opts.Paths and runs them one after
// another, each test in a fresh world. It returns an error only when the
// run could not start (a path does not exist) or a reporter failed; test
// failures, scripts that do not compile and tests out of time are in the
// Result. ctx ending stops the run after the current test.
func Run(ctx context.Context, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	files, err := Discover(opts.Paths)
	if err != nil {
		return nil, err
	}
	if opts.Only != nil {
		files = onlyOf(files, opts.Only)
	}
	start := time.Now()
	res := &Result{}
	loads := map[string]*Failure{}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		fr := runFile(ctx, opts, f, loads)
		res.add(fr)
		for _, r := range opts.Reporters {
			r.FileDone(fr)
		}
	}
	res.Duration = time.Since(start)
	var errs []error
	for _, r := range opts.Reporters {
		errs = append(errs, r.RunDone(res))
	}
	return res, errors.Join(errs...)
}

// onlyOf keeps the files of files that are in only.
func onlyOf(files, only []string) []string {
	keep := map[string]bool{}
	for _, f := range only {
		keep[filepath.Clean(f)] = true
	}
	var out []string
	for _, f := range files {
		if keep[filepath.Clean(f)] {
			out = append(out, f)
		}
	}
	return out
}

// checkScripts builds the scripts directory once (cached per root) and
// returns its load failure, if any.
func checkScripts(opts Options, root string, cache map[string]*Failure) *Failure {
	if f, ok := cache[root]; ok {
		return f
	}
	l := &host.Loader{Dir: root, Registry: opts.Registry, Sandbox: opts.Sandbox}
	_, err := l.Build(nil)
	var f *Failure
	if err != nil {
		f = &Failure{Kind: KindScript, Message: err.Error(), File: root}
		var le *host.LoadError
		if errors.As(err, &le) {
			f.File, f.Line, f.Message = le.File, le.Line, "script does not load: "+le.Msg
			for _, o := range le.Others {
				f.Message += "\n" + o.Error()
			}
		}
	}
	cache[root] = f
	return f
}
