package main

import (
	"context"
	"fmt"
)

// service is an optional part of the daemon started next to the host, such
// as the admin HTTP endpoint: it is given the running daemon (its host,
// configuration and logger) and returns a function that stops it. A
// service file registers itself from an init function with
// registerService, like commands do.
type service func(ctx context.Context, d *daemon) (stop func(context.Context) error, err error)

// services are started, in order, by every daemon (run and run --simulate).
var services []service

// registerService adds a service (call it from an init function).
func registerService(s service) { services = append(services, s) }

// startServices starts every registered service; on error the ones
// already started are stopped.
func (d *daemon) startServices(ctx context.Context) error {
	for i, s := range services {
		stop, err := s(ctx, d)
		if err != nil {
			d.stopServices(ctx)
			return fmt.Errorf("eslscript: service %d: %w", i, err)
		}
		if stop != nil {
			d.stops = append(d.stops, stop)
		}
	}
	return nil
}

// stopServices stops the started services in reverse order.
func (d *daemon) stopServices(ctx context.Context) {
	for i := len(d.stops) - 1; i >= 0; i-- {
		if err := d.stops[i](ctx); err != nil {
			d.log.Warn("eslscript: stopping a service", "error", err)
		}
	}
	d.stops = nil
}
