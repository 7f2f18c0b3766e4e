package host

import (
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestReloaderKeepsOldOnFailure(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.lua": "return {init = function() end}"})
	r := NewReloader(&Loader{Dir: dir})
	var swaps [][2]*Generation
	idle := make(chan *Generation, 4)
	r.OnSwap = func(old, new *Generation) { swaps = append(swaps, [2]*Generation{old, new}) }
	r.OnIdle = func(g *Generation) { idle <- g }
	g1 := mustReload(t, r)
	if g, changed, err := r.Reload(); g != g1 || changed || err != nil {
		t.Fatalf("unchanged reload: %v %v %v", g, changed, err)
	}
	writeFile(t, dir, "a.lua", "return {init = function() end\n\n")
	g, changed, err := r.Reload()
	var le *LoadError
	if g != g1 || changed || !errors.As(err, &le) || le.File != filepath.Join(dir, "a.lua") || le.Line != 2 {
		t.Fatalf("broken reload: gen %v changed %v err %v, want old gen and a.lua:2", g.ID, changed, err)
	}
	if _, _, err := r.Reload(); !errors.Is(err, ErrKnownBad) || r.Current() != g1 {
		t.Fatalf("same broken content again: %v", err)
	}
	writeFile(t, dir, "a.lua", "return {session = function() end}")
	g2 := mustReload(t, r)
	if r.Current() != g2 || g2.ID != 2 || !g1.Retired() || g2.Retired() {
		t.Fatalf("after fix: current %d, g1 retired %v", r.Current().ID, g1.Retired())
	}
	if len(swaps) != 2 || swaps[0] != [2]*Generation{nil, g1} || swaps[1] != [2]*Generation{g1, g2} {
		t.Fatalf("OnSwap calls: %v", swaps)
	}
	select {
	case got := <-idle:
		if got != g1 {
			t.Fatalf("OnIdle(%d), want g1", got.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnIdle not called for the retired, unused g1")
	}
}

func TestReloaderSerializesConcurrentReloads(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.lua": "return {init = function() end}"})
	r := NewReloader(&Loader{Dir: dir})
	var changes atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, changed, err := r.Reload(); err != nil {
				t.Error(err)
			} else if changed {
				changes.Add(1)
			}
		}()
	}
	wg.Wait()
	if changes.Load() != 1 || r.Current().ID != 1 {
		t.Fatalf("%d of 8 concurrent first reloads changed (want 1), current ID %d", changes.Load(), r.Current().ID)
	}
}

func TestAcquireReleaseRetire(t *testing.T) {
	g := &Generation{pools: map[string]*statePool{}}
	g.Acquire()
	g.Acquire()
	calls := 0
	g.Retire(func() { calls++ })
	g.Retire(func() { t.Error("second Retire's onIdle ran") })
	if !g.Retired() || g.Idle() || calls != 0 || g.Refs() != 2 {
		t.Fatalf("retired with 2 refs: idle %v calls %d refs %d", g.Idle(), calls, g.Refs())
	}
	g.Release()
	if calls != 0 || !g.TryAcquire() {
		t.Fatalf("one ref left: calls %d, TryAcquire refused", calls)
	}
	g.Release()
	g.Release()
	if calls != 1 || !g.Idle() || g.TryAcquire() {
		t.Fatalf("last release: calls %d idle %v", calls, g.Idle())
	}
	g.Acquire() // a late Acquire on an idle generation does not rerun onIdle
	g.Release()
	if calls != 1 {
		t.Fatalf("onIdle ran %d times", calls)
	}
	defer func() {
		if recover() == nil {
			t.Error("Release without Acquire did not panic")
		}
	}()
	g.Release()
}

func TestRetireWithoutRefsIsIdleAtOnce(t *testing.T) {
	g := &Generation{pools: map[string]*statePool{}}
	ran := false
	g.Retire(func() { ran = true })
	if !ran || !g.Idle() {
		t.Fatal("unused generation did not go idle on Retire")
	}
	g2 := &Generation{pools: map[string]*statePool{}}
	g2.Retire(nil)
	if !g2.Idle() {
		t.Fatal("Retire(nil) did not go idle")
	}
}

func TestRetireRacesWithCalls(t *testing.T) {
	for range 50 {
		g := &Generation{pools: map[string]*statePool{}}
		var calls atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for range 100 {
					if g.TryAcquire() {
						g.Release()
					}
				}
			}()
		}
		close(start)
		g.Retire(func() { calls.Add(1) })
		wg.Wait()
		if calls.Load() != 1 || g.Refs() != 0 {
			t.Fatalf("onIdle ran %d times, refs %d", calls.Load(), g.Refs())
		}
	}
}
