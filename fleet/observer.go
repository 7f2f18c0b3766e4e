package fleet

// Observer receives a Fleet's measurements, for metrics. Its methods are
// called from the fleet's goroutines and the nodes' readers and must not
// block.
type Observer interface {
	// FleetCallsOwned reports how many calls this instance owns now.
	FleetCallsOwned(n int)
	// FleetLeader reports whether this instance is the leader now.
	FleetLeader(leader bool)
	// FleetTakeover counts a call taken over from another instance (or
	// from this one after it fenced itself).
	FleetTakeover()
	// FleetRenewFailed counts a lease renewal that failed, came after this
	// instance's own fence, or found the lease lapsed.
	FleetRenewFailed()
	// FleetGap counts a gap reported to the scripts (a takeover event).
	FleetGap()
	// FleetReplayed counts events replayed as possible repeats.
	FleetReplayed(n int)
	// FleetRoundTrip counts a Redis round trip.
	FleetRoundTrip()
}

// nopObserver ignores everything.
type nopObserver struct{}

func (nopObserver) FleetCallsOwned(int) {}
func (nopObserver) FleetLeader(bool)    {}
func (nopObserver) FleetTakeover()      {}
func (nopObserver) FleetRenewFailed()   {}
func (nopObserver) FleetGap()           {}
func (nopObserver) FleetReplayed(int)   {}
func (nopObserver) FleetRoundTrip()     {}
