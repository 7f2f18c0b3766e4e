package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long Watch waits after the last file event before
// reporting a change, when given zero. An editor's save (write, rename,
// chmod) is one burst well inside it, while a reload still serves within
// ~30 ms of the write.
const DefaultDebounce = 25 * time.Millisecond

// watch calls onChange after files under dir change, until ctx ends, and
// onReady (may be nil) once every directory is watched. It watches dir
// and every subdirectory (new ones as they appear), not single files,
// because editors save by writing a temporary file and renaming it over
// the original. A burst of events (one save is often several) gives one
// call, debounce after the last event. Hidden files and directories and
// editor temporaries are ignored, as the loader ignores them. Errors from
// the watcher do not stop it; a lost-events overflow counts as a change.
// onChange runs on watch's goroutine: events arriving meanwhile are
// coalesced into the next call. watch returns nil when ctx ends and an
// error only if it cannot start.
func watch(ctx context.Context, dir string, debounce time.Duration, onChange, onReady func()) error {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("host: watching %s: %w", dir, err)
	}
	defer w.Close()
	if err := watchTree(w, dir); err != nil {
		return fmt.Errorf("host: watching %s: %w", dir, err)
	}
	if onReady != nil {
		onReady()
	}
	watchLoop(ctx, w, debounce, onChange)
	return nil
}

// watchLoop debounces events into onChange calls until ctx ends or the
// watcher closes.
func watchLoop(ctx context.Context, w *fsnotify.Watcher, debounce time.Duration, onChange func()) {
	timer := time.NewTimer(debounce)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if watchEvent(w, ev) {
				timer.Reset(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				timer.Reset(debounce)
			}
		case <-timer.C:
			onChange()
		}
	}
}

// watchEvent reports whether ev may change the scripts, and starts watching
// a directory it creates.
func watchEvent(w *fsnotify.Watcher, ev fsnotify.Event) bool {
	if ignoredName(filepath.Base(ev.Name)) || ev.Op == fsnotify.Chmod {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			_ = watchTree(w, ev.Name) // it may be gone already; the change is reported anyway
		}
	}
	return true
}

// watchTree watches root and every directory below it but hidden ones.
func watchTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && ignoredName(d.Name()) {
			return filepath.SkipDir
		}
		return w.Add(p)
	})
}
