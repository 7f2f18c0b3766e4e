package daemon

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/eslscript/eslscript/ops"
)

// systemdComponent tells systemd (Type=notify) that the daemon serves, and
// keeps its watchdog fed when WatchdogSec is set. Outside systemd it does
// nothing.
func systemdComponent(_ context.Context, d *Daemon) (func(context.Context) error, error) {
	n, err := ops.NewNotifier(os.LookupEnv, os.Getpid())
	if err != nil {
		d.log.Warn("eslscript: not notifying systemd", "error", err)
		return nil, nil
	}
	if !n.Enabled() {
		return nil, nil
	}
	d.notifier = n
	d.notify("READY=1\nSTATUS=serving")
	stop := d.feedWatchdog()
	return func(context.Context) error {
		stop()
		return nil
	}, nil
}

// feedWatchdog sends WATCHDOG=1 twice per watchdog period until stopped.
func (d *Daemon) feedWatchdog() (stop func()) {
	period := d.notifier.Watchdog()
	if period <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(period / 2)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				d.notify("WATCHDOG=1")
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// notify sends state to systemd when the daemon runs under it.
func (d *Daemon) notify(state string) {
	if d.notifier == nil {
		return
	}
	if err := d.notifier.Notify(state); err != nil {
		d.log.Warn("eslscript: notifying systemd", "error", err)
	}
}
