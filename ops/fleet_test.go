package ops

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/eslscript/eslscript/fleet"
)

// TestFleetMetricsAndStatus: the fleet's metrics exist once Fleet is
// called (not before) and count what the fleet reports; /status shows the
// fleet when the admin has one.
func TestFleetMetricsAndStatus(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	if _, ok := scrape(t, m.Handler())["eslscript_fleet_takeovers_total"]; ok {
		t.Fatal("fleet metrics registered without a fleet")
	}
	o := m.Fleet()
	if m.Fleet() != o {
		t.Fatal("Fleet registered twice")
	}
	o.FleetCallsOwned(7)
	o.FleetLeader(true)
	o.FleetTakeover()
	o.FleetTakeover()
	o.FleetGap()
	o.FleetRenewFailed()
	o.FleetReplayed(3)
	o.FleetRoundTrip()
	s := scrape(t, m.Handler())
	want(t, s, "eslscript_fleet_calls_owned", 7)
	want(t, s, "eslscript_fleet_leader", 1)
	want(t, s, "eslscript_fleet_takeovers_total", 2)
	want(t, s, "eslscript_fleet_gaps_reported_total", 1)
	want(t, s, "eslscript_fleet_lease_renewals_failed_total", 1)
	want(t, s, "eslscript_fleet_events_replayed_total", 3)
	want(t, s, "eslscript_fleet_redis_round_trips_total", 1)

	st := fleet.Status{Instance: "a", Leader: "b", CallsOwned: 2,
		Instances: []fleet.InstanceStatus{{Name: "a", Live: true, Calls: 2}, {Name: "b", Live: true, Calls: 5}}}
	a := NewAdmin(AdminOptions{Source: newFake(), Fleet: func(context.Context) fleet.Status { return st }})
	var body StatusBody
	if err := json.Unmarshal([]byte(get(t, a.Handler(), "/status", 200)), &body); err != nil {
		t.Fatal(err)
	}
	if body.Fleet == nil || body.Fleet.Leader != "b" || len(body.Fleet.Instances) != 2 || body.Fleet.Instances[1].Calls != 5 {
		t.Fatalf("status fleet = %+v", body.Fleet)
	}
	var plain StatusBody
	_ = json.Unmarshal([]byte(get(t, NewAdmin(AdminOptions{Source: newFake()}).Handler(), "/status", 200)), &plain)
	if plain.Fleet != nil {
		t.Fatalf("a lone instance shows a fleet: %+v", plain.Fleet)
	}
}
