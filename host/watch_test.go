package host

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// watchHarness runs Watch on a temp dir; every onChange sends a snapshot
// of the dir (relative name -> content) as seen at call time.
type watchHarness struct {
	t        *testing.T
	dir      string
	debounce time.Duration
	calls    chan map[string]string
	done     chan error
}

func startWatch(t *testing.T, debounce time.Duration) *watchHarness {
	t.Helper()
	h := &watchHarness{t: t, dir: t.TempDir(), debounce: debounce,
		calls: make(chan map[string]string, 100), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.done <- watch(ctx, h.dir, debounce, func() { h.calls <- snapshot(h.dir) }, nil) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-h.done:
			if err != nil {
				t.Errorf("Watch returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Watch did not return after cancel")
		}
	})
	h.handshake()
	return h
}

// handshake writes a probe file until the watcher reports it, so the test
// knows the watch is in place, then waits for the calls to settle.
func (h *watchHarness) handshake() {
	// probe less often than the debounce, or each probe would restart it
	tick := time.NewTicker(3 * h.debounce)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	writeFile(h.t, h.dir, "probe.txt", "probe")
	for n := 0; ; n++ {
		select {
		case <-h.calls:
			h.quiet()
			return
		case <-tick.C:
			writeFile(h.t, h.dir, "probe.txt", string(rune('a'+n%26)))
		case <-deadline:
			h.t.Fatal("watcher never reported the probe file")
		}
	}
}

// quiet drains calls until none came for three debounce periods, and
// returns how many it drained.
func (h *watchHarness) quiet() int {
	n := 0
	for {
		select {
		case <-h.calls:
			n++
		case <-time.After(3 * h.debounce):
			return n
		}
	}
}

// waitFor waits for a call that saw the dir in a state where ok holds.
func (h *watchHarness) waitFor(what string, ok func(map[string]string) bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case snap := <-h.calls:
			if ok(snap) {
				h.quiet()
				return
			}
		case <-deadline:
			h.t.Fatalf("no onChange after %s", what)
		}
	}
}

func snapshot(dir string) map[string]string {
	out := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func has(name, content string) func(map[string]string) bool {
	return func(s map[string]string) bool { c, ok := s[name]; return ok && c == content }
}

func TestWatchReportsEveryKindOfChange(t *testing.T) {
	t.Parallel()
	h := startWatch(t, 50*time.Millisecond)
	writeFile(t, h.dir, "main.lua", "v1")
	h.waitFor("create", has("main.lua", "v1"))

	writeFile(t, h.dir, "main.lua", "v2")
	h.waitFor("write", has("main.lua", "v2"))

	// atomic save: write a hidden temp file, rename it over the original
	writeFile(t, h.dir, ".main.lua.tmp", "v3")
	if err := os.Rename(filepath.Join(h.dir, ".main.lua.tmp"), filepath.Join(h.dir, "main.lua")); err != nil {
		t.Fatal(err)
	}
	h.waitFor("rename over", has("main.lua", "v3"))

	if err := os.Remove(filepath.Join(h.dir, "main.lua")); err != nil {
		t.Fatal(err)
	}
	h.waitFor("delete", func(s map[string]string) bool { _, ok := s["main.lua"]; return !ok })

	if err := os.MkdirAll(filepath.Join(h.dir, "lib", "deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.waitFor("mkdir", func(map[string]string) bool { return true })
	writeFile(t, h.dir, "lib/deep/util.lua", "u1")
	h.waitFor("file in new subdir", has("lib/deep/util.lua", "u1"))
	writeFile(t, h.dir, "lib/deep/util.lua", "u2")
	h.waitFor("write in new subdir", has("lib/deep/util.lua", "u2"))
}

func TestWatchBurstCallCount(t *testing.T) {
	t.Parallel()
	h := startWatch(t, 200*time.Millisecond)
	for i := range 20 {
		writeFile(t, h.dir, "main.lua", string(rune('a'+i)))
	}
	select {
	case <-h.calls:
	case <-time.After(5 * time.Second):
		t.Fatal("no call after a burst of 20 writes")
	}
	if n := 1 + h.quiet(); n > 3 {
		t.Fatalf("a burst of 20 writes gave %d calls, want 1 (at most 3)", n)
	}
}

func TestWatchIgnoresTempFiles(t *testing.T) {
	t.Parallel()
	h := startWatch(t, 50*time.Millisecond)
	writeFile(t, h.dir, ".main.lua.swp", "x")
	writeFile(t, h.dir, "main.lua~", "x")
	writeFile(t, h.dir, ".hidden/x.lua", "x")
	if n := h.quiet(); n != 0 {
		t.Fatalf("%d calls for editor temporaries", n)
	}
}

func TestWatchMissingDir(t *testing.T) {
	t.Parallel()
	err := watch(context.Background(), filepath.Join(t.TempDir(), "nope"), 0, func() {}, nil)
	if err == nil {
		t.Fatal("Watch of a missing directory returned nil")
	}
}
