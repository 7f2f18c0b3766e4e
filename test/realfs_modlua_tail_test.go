package test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fileTail follows a file that another process appends to (FreeSWITCH's
// log, its console output) from the size it had when the tail started,
// keeping the lines that contain one of its markers. FreeSWITCH writes
// its log from a thread of its own, a moment after the line was made, so
// a test waits for the lines it expects (wait) instead of reading the file
// once.
type fileTail struct {
	path    string
	markers []string

	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced when lines grow
}

// tailFile starts following path until the test ends.
func tailFile(t *testing.T, path string, markers ...string) *fileTail {
	t.Helper()
	var off int64
	if st, err := os.Stat(path); err == nil {
		off = st.Size()
	}
	ft := &fileTail{path: path, markers: markers, changed: make(chan struct{})}
	stop := make(chan struct{})
	done := make(chan struct{})
	t.Cleanup(func() { close(stop); <-done })
	go func() {
		defer close(done)
		ft.follow(off, stop)
	}()
	return ft
}

// follow reads what is appended to the file every 20 ms (a file has no
// change notification that crosses processes as simply).
func (ft *fileTail) follow(off int64, stop <-chan struct{}) {
	var partial []byte
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if f, err := os.Open(ft.path); err == nil {
			if st, err := f.Stat(); err == nil && st.Size() < off {
				off = 0 // rolled over
			}
			if _, err := f.Seek(off, io.SeekStart); err == nil {
				b, _ := io.ReadAll(f)
				off += int64(len(b))
				partial = ft.add(append(partial, b...))
			}
			f.Close()
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// add keeps the complete lines of b that hold a marker and returns the
// incomplete last line.
func (ft *fileTail) add(b []byte) []byte {
	var keep []string
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		line := string(b[:i])
		b = b[i+1:]
		for _, m := range ft.markers {
			if strings.Contains(line, m) {
				keep = append(keep, line)
				break
			}
		}
	}
	if len(keep) > 0 {
		ft.mu.Lock()
		ft.lines = append(ft.lines, keep...)
		close(ft.changed)
		ft.changed = make(chan struct{})
		ft.mu.Unlock()
	}
	return append([]byte(nil), b...)
}

// matching returns the kept lines for which keep is true, in order.
func (ft *fileTail) matching(keep func(string) bool) []string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	var out []string
	for _, l := range ft.lines {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}

// wait waits up to limit for a kept line for which keep is true; it
// reports whether one came.
func (ft *fileTail) wait(keep func(string) bool, limit time.Duration) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		ft.mu.Lock()
		ch := ft.changed
		for _, l := range ft.lines {
			if keep(l) {
				ft.mu.Unlock()
				return true
			}
		}
		ft.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}
