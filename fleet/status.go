package fleet

import (
	"context"
	"sort"
	"time"
)

// Status is the fleet as this instance sees it (admin /status).
type Status struct {
	// Instance is this instance's name.
	Instance string `json:"instance"`
	// Leader is the leader's name at the last renewal.
	Leader string `json:"leader"`
	// Fenced reports that this instance's lease is not known to be held:
	// it handles none of the fleet's events.
	Fenced bool `json:"fenced"`
	// CallsOwned counts the live calls this instance owns.
	CallsOwned int `json:"calls_owned"`
	// Instances are the members, live or stopped and not yet retired.
	Instances []InstanceStatus `json:"instances"`
	// Error, if set, is why Redis could not be read.
	Error string `json:"error,omitempty"`
	Stats
}

// InstanceStatus is one member of the fleet.
type InstanceStatus struct {
	Name         string    `json:"name"`
	Live         bool      `json:"live"`
	LeaseExpires time.Time `json:"lease_expires"`
	// Calls counts the calls it owns (its set in Redis).
	Calls int64 `json:"calls"`
}

// Status reads the members and their calls from Redis (one round trip).
func (f *Fleet) Status(ctx context.Context) Status {
	st := Status{Instance: f.me, Fenced: f.fenced(time.Now()), Stats: f.Stats(), Instances: []InstanceStatus{}}
	f.viewMu.Lock()
	st.Leader = f.view.leader
	f.viewMu.Unlock()
	st.CallsOwned = f.sweep(time.Now(), 3*f.opts.Lease, f.opts.CallTTL)
	rctx, cancel := f.bound(ctx)
	defer cancel()
	ms, err := f.c.ZRangeWithScores(rctx, f.k.members(), 0, -1).Result()
	if err != nil {
		st.Error = "fleet: redis: " + err.Error()
		return st
	}
	p := f.c.Pipeline()
	now := time.Now()
	for _, m := range ms {
		name, _ := m.Member.(string)
		exp := time.UnixMilli(int64(m.Score))
		st.Instances = append(st.Instances, InstanceStatus{Name: name, Live: !exp.Before(now), LeaseExpires: exp})
	}
	cards := make([]func() int64, len(st.Instances))
	for i, in := range st.Instances {
		cmd := p.SCard(rctx, f.k.owned(in.Name))
		cards[i] = cmd.Val
	}
	if _, err := p.Exec(rctx); err != nil {
		st.Error = "fleet: redis: " + err.Error()
	}
	for i := range st.Instances {
		st.Instances[i].Calls = cards[i]()
	}
	sort.Slice(st.Instances, func(i, j int) bool { return st.Instances[i].Name < st.Instances[j].Name })
	return st
}
