package main

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/eslscript/eslscript/ops"
)

func init() { registerService(systemdService) }

// notifiers holds the systemd notifier of each daemon run under systemd.
var notifiers sync.Map // *daemon -> *ops.Notifier

// systemdService tells systemd (Type=notify) that the daemon serves, and
// keeps its watchdog fed when WatchdogSec is set. Outside systemd it does
// nothing.
func systemdService(_ context.Context, d *daemon) (func(context.Context) error, error) {
	n, err := ops.NewNotifier(os.LookupEnv, os.Getpid())
	if err != nil {
		d.log.Warn("eslscript: not notifying systemd", "error", err)
		return nil, nil
	}
	if !n.Enabled() {
		return nil, nil
	}
	notifiers.Store(d, n)
	sdNotify(d, "READY=1\nSTATUS=serving")
	stop := feedWatchdog(d, n)
	return func(context.Context) error {
		stop()
		notifiers.Delete(d)
		return nil
	}, nil
}

// feedWatchdog sends WATCHDOG=1 twice per watchdog period until stopped.
func feedWatchdog(d *daemon, n *ops.Notifier) (stop func()) {
	if n.Watchdog() <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(n.Watchdog() / 2)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				sdNotify(d, "WATCHDOG=1")
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// sdNotify sends state to systemd when d runs under it.
func sdNotify(d *daemon, state string) {
	v, ok := notifiers.Load(d)
	if !ok {
		return
	}
	if err := v.(*ops.Notifier).Notify(state); err != nil {
		d.log.Warn("eslscript: notifying systemd", "error", err)
	}
}
