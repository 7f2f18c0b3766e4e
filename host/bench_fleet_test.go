package host_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/host"
)

// BenchmarkFleetConsumer runs the consumer benchmark's "lua" case on a
// fleet of 1, 2 and 3 instances in this process, sharing one real Redis:
// every instance reads the whole stream from its own connection (as from
// FreeSWITCH, which sends every event to every subscriber) and runs the
// handlers of the calls it owns. One op is one event of the stream,
// handled once by the fleet. It reports events/s and the Redis round
// trips per event received.
func BenchmarkFleetConsumer(b *testing.B) {
	s := loadBenchStream(b, benchCalls)
	srv := rediskvtest.Start(b, rediskvtest.Options{})
	for n := 1; n <= 3; n++ {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchFleet(b, s, srv, n) })
	}
}

// benchFleet is one fleet of n instances on the stream.
func benchFleet(b *testing.B, s *benchStream, srv *rediskvtest.Server, n int) {
	prefix := fmt.Sprintf("bench%d-%d:", n, time.Now().UnixNano())
	rigs := make([]*consumerRig, n)
	fls := make([]*fleet.Fleet, n)
	total := func() int64 {
		var sum int64
		for _, r := range rigs {
			if r != nil {
				sum += r.obs.handled.Load()
			}
		}
		return sum
	}
	for i := range rigs {
		f := fleet.New(fleet.Options{Address: srv.Address, Prefix: prefix, Instance: "i" + strconv.Itoa(i)})
		rig := &consumerRig{obs: &benchObs{}, mod: &benchModule{}, dir: b.TempDir()}
		writeScript(b, rig.dir, "consumer.lua", consumerScript)
		rig.h = startRigHost(b, rig, host.Options{Workers: benchWorkers(), Ownership: f})
		f.Start(b.Context(), rig.h)
		b.Cleanup(func() { _ = f.Close() })
		rigs[i], fls[i] = rig, f
	}
	for _, f := range fls { // each sees the others before the stream starts
		waitFleetView(b, f, n)
	}
	before := fleetStats(fls)
	m := startEventMeter(b, s)
	for _, rig := range rigs {
		fs := startFakeFS(b, blastPlan{s: s, total: b.N, window: benchWindowSize(s), credit: total})
		if err := rig.h.AddNode(b.Context(), "fs", dialFakeFS(b, fs)); err != nil {
			b.Fatal(err)
		}
	}
	want := b.N + n*hostEvents // each instance runs its own node_up
	waitHandled(b, total, want, func() string {
		for _, r := range rigs {
			if why := r.check(); why != "" {
				return why
			}
		}
		return ""
	})
	m.stop(b)
	after := fleetStats(fls)
	b.ReportMetric(float64(after.RoundTrips-before.RoundTrips)/float64(after.Events-before.Events), "redis-rt/event")
	if got := total(); got != int64(want) {
		b.Fatalf("the fleet handled %d events, want %d (each once)", got, want)
	}
}

// waitFleetView waits until f's status lists n live instances.
func waitFleetView(b *testing.B, f *fleet.Fleet, n int) {
	deadline := time.Now().Add(stallTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st := f.Status(ctx)
		cancel()
		live := 0
		for _, in := range st.Instances {
			if in.Live {
				live++
			}
		}
		if live == n {
			time.Sleep(fleet.DefaultLease / 3) // one renewal: its view has them too
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("fleet of %d: %+v", n, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fleetStats sums the fleets' counters.
func fleetStats(fls []*fleet.Fleet) fleet.Stats {
	var s fleet.Stats
	for _, f := range fls {
		st := f.Stats()
		s.RoundTrips += st.RoundTrips
		s.Events += st.Events
	}
	return s
}
