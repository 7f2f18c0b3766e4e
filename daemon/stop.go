package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/eslscript/eslscript/ops"
)

// Reload reloads the scripts, as SIGHUP does: systemd hears RELOADING then
// READY, admin /status shows the outcome, the host logs it. A script that
// does not load leaves the running ones in place and is the error (a
// *host.LoadError).
func (d *Daemon) Reload() error {
	d.log.Info("eslscript: reloading scripts")
	d.notify(ops.Reloading())
	var err error
	if d.admin != nil {
		err = d.admin.Reload()
	} else {
		err = d.h.Reload()
	}
	d.notify("READY=1\nSTATUS=serving")
	return err
}

// StopAccepting begins the drain: admin /readyz fails, systemd hears
// STOPPING, every listener and the script watcher close. Once it returns
// no new call is accepted; live calls go on. Only the first call acts.
func (d *Daemon) StopAccepting() {
	d.stopOnce.Do(func() {
		if d.admin != nil {
			d.admin.SetDraining()
		}
		d.notify("STOPPING=1\nSTATUS=draining")
		d.stopServing()
		d.serving.Wait()
	})
}

// Shutdown drains the daemon: it stops accepting calls, lets live ones
// finish until ctx ends or drain.timeout passes, hangs up the rest with
// drain.cause, then closes the nodes, the kv store and the components. A
// drain cut short is no error. Later calls return the first one's result.
func (d *Daemon) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Drain.Timeout)
	defer cancel()
	start := time.Now()
	err := d.close(ctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("eslscript: shutdown: %w", err)
	}
	d.log.Info("eslscript: stopped", "drained_in", time.Since(start).Round(time.Millisecond))
	return nil
}

// close stops accepting, lets the host drain until ctx ends, then closes
// the node connections, the kv store and the components, once.
func (d *Daemon) close(ctx context.Context) error {
	d.closeOnce.Do(func() {
		d.StopAccepting()
		d.closeErr = d.h.Shutdown(ctx)
		d.closeFleet()
		d.closeKV()
		for _, c := range d.clients {
			c.Close()
		}
		d.stopComponents(ctx)
	})
	return d.closeErr
}
