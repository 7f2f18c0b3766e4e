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
	r := newReloader(&Loader{Dir: dir})
	var swaps [][2]*Generation
	idle := make(chan *Generation, 4)
	r.onSwap = func(old, new *Generation) { swaps = append(swaps, [2]*Generation{old, new}) }
	r.onIdle = func(g *Generation) { idle <- g }
	g1 := mustReload(t, r)
	if g, changed, err := r.reload(); g != g1 || changed || err != nil {
		t.Fatalf("unchanged reload: %v %v %v", g, changed, err)
	}
	writeFile(t, dir, "a.lua", "return {init = function() end\n\n")
	g, changed, err := r.reload()
	var le *LoadError
	if g != g1 || changed || !errors.As(err, &le) || le.File != filepath.Join(dir, "a.lua") || le.Line != 2 {
		t.Fatalf("broken reload: gen %v changed %v err %v, want old gen and a.lua:2", g.ID, changed, err)
	}
	if _, _, err := r.reload(); !errors.Is(err, ErrKnownBad) || r.current() != g1 {
		t.Fatalf("same broken content again: %v", err)
	}
	writeFile(t, dir, "a.lua", "return {session = function() end}")
	g2 := mustReload(t, r)
	if r.current() != g2 || g2.ID != 2 || !g1.retired() || g2.retired() {
		t.Fatalf("after fix: current %d, g1 retired %v", r.current().ID, g1.retired())
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
	r := newReloader(&Loader{Dir: dir})
	var changes atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, changed, err := r.reload(); err != nil {
				t.Error(err)
			} else if changed {
				changes.Add(1)
			}
		}()
	}
	wg.Wait()
	if changes.Load() != 1 || r.current().ID != 1 {
		t.Fatalf("%d of 8 concurrent first reloads changed (want 1), current ID %d", changes.Load(), r.current().ID)
	}
}

func TestAcquireReleaseRetire(t *testing.T) {
	g := &Generation{pools: map[string]*statePool{}}
	g.acquire()
	g.acquire()
	calls := 0
	g.retire(func() { calls++ })
	g.retire(func() { t.Error("second Retire's onIdle ran") })
	if !g.retired() || g.isIdle() || calls != 0 || g.liveCalls() != 2 {
		t.Fatalf("retired with 2 refs: idle %v calls %d refs %d", g.isIdle(), calls, g.liveCalls())
	}
	g.release()
	if calls != 0 || !g.tryAcquire() {
		t.Fatalf("one ref left: calls %d, TryAcquire refused", calls)
	}
	g.release()
	g.release()
	if calls != 1 || !g.isIdle() || g.tryAcquire() {
		t.Fatalf("last release: calls %d idle %v", calls, g.isIdle())
	}
	g.acquire() // a late Acquire on an idle generation does not rerun onIdle
	g.release()
	if calls != 1 {
		t.Fatalf("onIdle ran %d times", calls)
	}
	defer func() {
		if recover() == nil {
			t.Error("Release without Acquire did not panic")
		}
	}()
	g.release()
}

func TestRetireWithoutRefsIsIdleAtOnce(t *testing.T) {
	g := &Generation{pools: map[string]*statePool{}}
	ran := false
	g.retire(func() { ran = true })
	if !ran || !g.isIdle() {
		t.Fatal("unused generation did not go idle on Retire")
	}
	g2 := &Generation{pools: map[string]*statePool{}}
	g2.retire(nil)
	if !g2.isIdle() {
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
					if g.tryAcquire() {
						g.release()
					}
				}
			}()
		}
		close(start)
		g.retire(func() { calls.Add(1) })
		wg.Wait()
		if calls.Load() != 1 || g.liveCalls() != 0 {
			t.Fatalf("onIdle ran %d times, refs %d", calls.Load(), g.liveCalls())
		}
	}
}
