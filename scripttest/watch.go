package scripttest

import (
	"context"
	"path/filepath"
	"sort"

	"github.com/eslscript/eslscript/host"
)

// Watch calls run once, then again whenever a file under the scripts
// directories of opts changes (host.Watch: fsnotify on directories,
// debounced, editor temporaries ignored), until ctx ends. Every selected
// test runs again, not only the ones near the change. It returns nil when
// ctx ends.
func Watch(ctx context.Context, opts Options, run func()) error {
	opts = opts.withDefaults()
	dirs, err := watchDirs(opts)
	if err != nil {
		return err
	}
	changed := make(chan struct{}, 1)
	errs := make(chan error, len(dirs))
	for _, d := range dirs {
		go func() {
			errs <- host.Watch(ctx, d, host.DefaultDebounce, func() {
				select {
				case changed <- struct{}{}:
				default:
				}
			})
		}()
	}
	run()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if err != nil {
				return err
			}
		case <-changed:
			run()
		}
	}
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
		seen[rootFor(opts.Root, f)] = true
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
