package daemon

import (
	"context"
	"fmt"
)

// startComponents starts the admin endpoint, the program's components,
// then the systemd notifier (READY comes last); on error the ones already
// started are stopped.
func (d *Daemon) startComponents(ctx context.Context, extra []Component) error {
	all := append(append([]Component{adminComponent}, extra...), systemdComponent)
	for i, c := range all {
		stop, err := c(ctx, d)
		if err != nil {
			d.stopComponents(ctx)
			return fmt.Errorf("eslscript: service %d: %w", i, err)
		}
		if stop != nil {
			d.stops = append(d.stops, stop)
		}
	}
	return nil
}

// stopComponents stops the started components in reverse order.
func (d *Daemon) stopComponents(ctx context.Context) {
	for i := len(d.stops) - 1; i >= 0; i-- {
		if err := d.stops[i](ctx); err != nil {
			d.log.Warn("eslscript: stopping a service", "error", err)
		}
	}
	d.stops = nil
}
