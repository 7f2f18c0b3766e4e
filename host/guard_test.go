package host

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// busyLimits stops a run after 200ms of Lua without waiting.
var busyLimits = ScriptLimits{BusyBudget: 200 * time.Millisecond, MemoryLimit: -1}

// A busy loop is stopped by the busy budget, long before the run's own
// time budget; the error says so and names the line.
func TestBusyLoopIsStopped(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"plain":                  "local n = 0\nwhile true do n = n + 1 end\n",
		"pcall":                  "pcall(function() while true do end end)\nwhile true do end\n",
		"coroutine after a wait": "local co = coroutine.wrap(function()\n  freeswitch.msleep(10)\n  while true do end\nend)\nco()\n",
		"pattern":                "string.find(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40))\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"busy.lua": src})
			_, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "busy.lua"), Timeout: time.Hour, Limits: busyLimits})
			var re *RunError
			if !errors.Is(err, ErrBusy) || !errors.As(err, &re) || re.Line == 0 || !strings.Contains(re.Msg, "busy budget") {
				t.Fatalf("err = %v, want a RunError with a line, wrapping ErrBusy", err)
			}
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v also reads as cancelled or timed out", err)
			}
			t.Logf("%s", err)
		})
	}
}

// Time spent waiting in bindings does not count: a run that sleeps for
// far longer than its busy budget, in many short waits and in one long
// one, with timer callbacks firing meanwhile, ends normally.
func TestWaitingIsNotBusy(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"wait.lua": `local timer = require("timer")
local ticks = 0
timer.every(20, function() ticks = ticks + 1 end)
for i = 1, 10 do freeswitch.msleep(50) end
freeswitch.msleep(600)
print(ticks > 10)
`})
	_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "wait.lua"), Timeout: time.Hour, Limits: busyLimits})
	if err != nil || out != "true\n" {
		t.Fatalf("err %v, printed %q", err, out)
	}
}

// liveHeap is the heap that survived collection (twice: the first may
// leave to the second what finalizers and an ended run released).
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// A run that grows a table of 1 MiB strings is stopped when the heap
// passes its memory limit, while a run that waits meanwhile carries on,
// and the heap stays under the limit.
func TestMemoryRunawayIsStopped(t *testing.T) {
	limit := (liveHeap() + 96<<20) / 3 * 4 // the bound is 3/4 of it: 96 MiB above the heap now
	lim := ScriptLimits{MemoryLimit: limit, BusyBudget: -1}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(lim.SoftMemoryLimit())) // as eslscript does
	dir := writeTree(t, map[string]string{
		"grow.lua": "local t = {}\nwhile true do\n  t[#t + 1] = string.rep('x', 1048576)\nend\n",
		"calm.lua": "for i = 1, 40 do\n  freeswitch.msleep(25)\n  local s = string.rep('y', 1000)\nend\nprint('calm done')\n",
	})
	peak := watchHeap(t)
	calm := make(chan error, 1)
	go func() {
		_, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "calm.lua"), Timeout: time.Hour, Limits: lim})
		if err == nil && out != "calm done\n" {
			err = errors.New("printed " + out)
		}
		calm <- err
	}()
	_, _, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "grow.lua"), Timeout: time.Hour, Limits: lim})
	if !errors.Is(err, ErrMemory) {
		t.Fatalf("err = %v, want ErrMemory", err)
	}
	t.Logf("runaway: %v", err)
	if err := <-calm; err != nil {
		t.Fatalf("the waiting run failed: %v", err)
	}
	if p := peak(); p > limit {
		t.Fatalf("the heap in use peaked at %d MiB, over the limit of %d MiB", p>>20, limit>>20)
	} else {
		t.Logf("heap in use peaked at %d MiB (limit %d MiB)", p>>20, limit>>20)
	}
}

// watchHeap samples the heap in use every millisecond until the test ends
// and returns a function that reports the peak so far.
func watchHeap(t *testing.T) func() int64 {
	done, peak := make(chan struct{}), make(chan int64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max int64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				metrics.Read(s)
				max = maxOf(max, int64(s[0].Value.Uint64()))
			case peak <- max:
			case <-done:
				return
			}
		}
	}()
	t.Cleanup(func() { close(done) })
	return func() int64 { return <-peak }
}

func maxOf(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
