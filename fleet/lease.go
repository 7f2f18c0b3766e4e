package fleet

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// beat renews the lease, moves the fence, takes over the calls of
// instances whose lease lapsed and forgets ended calls.
func (f *Fleet) beat(ctx context.Context) {
	f.beatMu.Lock()
	defer f.beatMu.Unlock()
	start := time.Now()
	v, fenced, err := f.renew(ctx)
	switch {
	case err != nil:
		f.obs.FleetRenewFailed()
		f.log.Warn("fleet: lease renewal failed", "instance", f.me, "error", err,
			"fenced", f.fenced(time.Now()))
		return
	case fenced:
		f.log.Warn("fleet: lease lapsed: rejoining and taking back what is still ours", "instance", f.me)
		f.obs.FleetRenewFailed()
		f.fenceAt.Store(0)
		f.suspendMine(f.me)
		f.joined, f.recover = false, true
		if v, _, err = f.renew(ctx); err != nil {
			return
		}
	}
	if f.joined && start.UnixNano() > f.fenceAt.Load() {
		f.recover = true // fenced locally: events of our calls were withheld
		f.obs.FleetRenewFailed()
		f.log.Warn("fleet: fenced itself: the lease was not renewed in time; taking back its calls",
			"instance", f.me, "since_last_renewal", start.Sub(f.lastOK).Round(time.Millisecond).String())
	}
	gapStart := f.lastOK
	f.joined, f.lastOK = true, start
	f.fenceAt.Store(start.Add(f.opts.Lease - f.margin).UnixNano())
	f.leader.Store(v.leader == f.me)
	f.obs.FleetLeader(v.leader == f.me)
	f.viewMu.Lock()
	f.view = v
	f.viewMu.Unlock()
	if f.recover {
		f.recover = !f.takeover(ctx, f.me, gapStart.Add(-f.every), v)
	}
	for _, d := range v.dead {
		// a lease ended by Close (expiry 0) counts from two leases ago
		from := d.expires.Add(-f.opts.Lease - f.every)
		if earliest := v.now.Add(-2 * f.opts.Lease); from.Before(earliest) {
			from = earliest
		}
		f.takeover(ctx, d.name, from, v)
	}
	f.obs.FleetCallsOwned(f.sweep(time.Now(), 3*f.opts.Lease, f.opts.CallTTL))
}

// renew runs renewScript; fenced reports a lease that lapsed while this
// instance thought it held it.
func (f *Fleet) renew(ctx context.Context) (v view, fenced bool, err error) {
	joined := "0"
	if f.joined {
		joined = "1"
	}
	rctx, cancel := f.bound(ctx)
	defer cancel()
	res, err := renewScript.Run(rctx, f.c, []string{f.k.members(), f.k.leader()},
		f.me, f.opts.Lease.Milliseconds(), joined).Slice()
	if err != nil {
		return v, false, fmt.Errorf("fleet: renew: %w", err)
	}
	if len(res) >= 1 && res[0] == "fenced" {
		return v, true, nil
	}
	return parseView(res)
}

// parseView reads renewScript's {"ok", now, leader, members}.
func parseView(res []any) (view, bool, error) {
	var v view
	if len(res) != 4 {
		return v, false, fmt.Errorf("fleet: renew: unexpected reply %v", res)
	}
	now, _ := strconv.ParseInt(fmt.Sprint(res[1]), 10, 64)
	v.now = time.UnixMilli(now)
	v.leader, _ = res[2].(string)
	ms, _ := res[3].([]any)
	for i := 0; i+1 < len(ms); i += 2 {
		name, _ := ms[i].(string)
		score, _ := strconv.ParseFloat(fmt.Sprint(ms[i+1]), 64)
		if exp := int64(score); exp >= now {
			v.live = append(v.live, name)
		} else {
			v.dead = append(v.dead, member{name: name, expires: time.UnixMilli(exp)})
		}
	}
	sort.Strings(v.live)
	return v, false, nil
}

// liveMembers returns the live instances of the last renewal.
func (f *Fleet) liveMembers() []string {
	f.viewMu.Lock()
	defer f.viewMu.Unlock()
	return f.view.live
}
