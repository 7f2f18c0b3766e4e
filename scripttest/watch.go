package scripttest

import (
	"context"
	"path/filepath"
	"sort"

	"github.com/eslscript/eslscript/host"
)

// WatchRun is one run the watch loop asks for.
type WatchRun struct {
	// Files are the test files to run.
	Files []string
	// Changed are the files created, modified or deleted since the last
	// run (none for the first run).
	Changed []string
}

// Watch calls run with every selected test file once, then again
// whenever files under the scripts directories of opts change
// (host.WatchReady: fsnotify on directories, debounced, editor
// temporaries ignored), with the test files the change affects: a
// changed test file itself, a changed script the test file beside it, a
// module under lib/ or any file no test maps to every selected test (see
// Affected). The first run starts once the directories are watched. It
// returns nil when ctx ends.
func Watch(ctx context.Context, opts Options, run func(WatchRun)) error {
	opts = opts.withDefaults()
	dirs, err := watchDirs(opts)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	changed := make(chan struct{}, 1)
	errs, err := startWatchers(ctx, dirs, changed)
	if err != nil || ctx.Err() != nil {
		return err
	}
	files, _ := Discover(opts.Paths)
	before := snapshot(dirs)
	run(WatchRun{Files: files})
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if err != nil {
				return err
			}
		case <-changed:
			now := snapshot(dirs)
			wr := nextRun(opts, dirs, diff(before, now))
			before = now
			if len(wr.Changed) > 0 && len(wr.Files) > 0 {
				run(wr)
			}
		}
	}
}

// nextRun maps changed files to the selected test files they affect.
func nextRun(opts Options, dirs, changed []string) WatchRun {
	selected, err := Discover(opts.Paths)
	if err != nil {
		selected = nil // a named path is gone: nothing left to run
	}
	return WatchRun{Files: Affected(selected, dirs, changed), Changed: changed}
}

// startWatchers watches every directory and returns once all are
// watched; a change is signalled on changed, a watcher's end on the
// returned channel.
func startWatchers(ctx context.Context, dirs []string, changed chan struct{}) (<-chan error, error) {
	errs := make(chan error, len(dirs))
	ready := make(chan struct{}, len(dirs))
	for _, d := range dirs {
		go func() {
			errs <- host.WatchReady(ctx, d, host.DefaultDebounce, func() {
				select {
				case changed <- struct{}{}:
				default:
				}
			}, func() { ready <- struct{}{} })
		}()
	}
	for range dirs {
		select {
		case <-ready:
		case err := <-errs:
			return nil, err // a watcher could not start
		case <-ctx.Done():
			return nil, nil
		}
	}
	return errs, nil
}

// watchDirs lists the scripts directories of the selected test files
// (the directories named when there are none yet).
func watchDirs(opts Options) ([]string, error) {
	files, err := Discover(opts.Paths)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[rootFor(opts.Root, opts.Paths, f)] = true
	}
	if len(seen) == 0 {
		for _, p := range opts.Paths {
			seen[filepath.Clean(p)] = true
		}
	}
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, nil
}
