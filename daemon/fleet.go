package daemon

import (
	"context"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/host"
)

// openFleet makes the host one instance of the fleet of cfg.Fleet, when
// enabled: the fleet decides which events run here (host.Ownership).
func (d *Daemon) openFleet(hopts *host.Options) {
	fc := d.cfg.Fleet
	if !fc.Enabled {
		return
	}
	d.fleet = fleet.New(fleet.Options{
		Address: fc.Address, Password: fc.Password.Reveal(), DB: fc.DB, Prefix: fc.Prefix,
		Instance: fc.Instance, Lease: fc.Lease, Logger: d.log, Observer: d.metrics.Fleet(),
	})
	hopts.Ownership = d.fleet
}

// startFleet joins the fleet once the host runs, before any node is
// connected. A Redis that does not answer is only logged: the instance
// handles none of the fleet's events until it does.
func (d *Daemon) startFleet(ctx context.Context) {
	if d.fleet == nil {
		return
	}
	d.fleet.Start(ctx, d.h)
	st := d.fleet.Status(ctx)
	d.log.Info("eslscript: fleet joined", "instance", st.Instance, "leader", st.Leader,
		"instances", len(st.Instances), "fenced", st.Fenced, "error", st.Error)
}

// subscribeFleet subscribes a node to CHANNEL_DESTROY, which ends a call's
// claim, whether a script handles it or not.
func (d *Daemon) subscribeFleet(ctx context.Context, c *esl.Client) error {
	if d.fleet == nil {
		return nil
	}
	return c.Events(ctx, "CHANNEL_DESTROY")
}

// closeFleet leaves the fleet (after the host drained): the others take
// this instance's calls over at their next renewal.
func (d *Daemon) closeFleet() {
	if d.fleet == nil {
		return
	}
	if err := d.fleet.Close(); err != nil {
		d.log.Warn("eslscript: leaving the fleet", "error", err)
	}
}

// fleetStatus is admin /status's fleet section (nil without a fleet).
func (d *Daemon) fleetStatus() func(context.Context) fleet.Status {
	if d.fleet == nil {
		return nil
	}
	return d.fleet.Status
}
