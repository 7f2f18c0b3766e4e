package main

import (
	"context"
	"testing"
	"time"
)

// TestServiceHook checks that a registered service starts with the daemon,
// sees its host and configuration, and is stopped at shutdown. Not
// parallel: it changes the package's service list.
func TestServiceHook(t *testing.T) {
	saved := services
	defer func() { services = saved }()
	var started, stopped bool
	var scripts int
	registerService(func(_ context.Context, d *daemon) (func(context.Context) error, error) {
		started = true
		scripts = len(d.h.Status().Scripts)
		return func(context.Context) error { stopped = true; return nil }, nil
	})
	dir := writeScripts(t, map[string]string{"ivr.lua": sessionScript, "watch.lua": eventScript})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "run", "--simulate", dir); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if !started || !stopped || scripts != 2 {
		t.Errorf("started=%v stopped=%v scripts=%d", started, stopped, scripts)
	}
}
