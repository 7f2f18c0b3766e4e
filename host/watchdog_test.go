package host

import (
	"context"
	"testing"
	"time"
)

func TestWatchdogKillsOnlyTheOverrunningCall(t *testing.T) {
	const budget = 40 * time.Millisecond
	d := newWatchdog(context.Background(), budget, nil)
	defer d.stop()
	// Short calls across several budget periods: ticks meant for earlier
	// calls must never cancel a later one.
	for end := time.Now().Add(5 * budget); time.Now().Before(end); {
		ctx := d.begin()
		err := ctx.Err()
		d.end()
		if err != nil {
			t.Fatalf("short call cancelled: %v", err)
		}
	}
	start := time.Now()
	ctx := d.begin()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("overrunning call not cancelled")
	}
	d.end()
	if ran := time.Since(start); ran < budget {
		t.Fatalf("cancelled after %v, budget %v", ran, budget)
	}
	if ctx.Err() != context.DeadlineExceeded || context.Cause(ctx) != context.DeadlineExceeded {
		t.Fatalf("err %v cause %v, want deadline exceeded", ctx.Err(), context.Cause(ctx))
	}
	if next := d.begin(); next.Err() != nil {
		t.Fatalf("call after a kill starts cancelled: %v", next.Err())
	}
	d.end()
}

func TestWatchdogFollowsParent(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	d := newWatchdog(parent, time.Hour, nil)
	defer d.stop()
	ctx := d.begin()
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("call not cancelled with its parent")
	}
	if ctx.Err() != context.Canceled {
		t.Fatalf("err %v, want canceled", ctx.Err())
	}
}
