package fleet

import (
	"bytes"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
)

// byCall groups handled events by call.
func byCall(evs []handled) map[string][]handled {
	m := map[string][]handled{}
	for _, e := range evs {
		m[e.uuid] = append(m[e.uuid], e)
	}
	return m
}

// TestOneOwnerPerCall: three instances get every event of 60 calls; each
// call's events run on exactly one of them, all of them, in order, and
// the calls spread over the three, for a bounded number of Redis round
// trips per call.
func TestOneOwnerPerCall(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	j := newJournal()
	var fs []*Fleet
	var hs []*fakeHost
	for _, n := range []string{"a", "b", "c"} {
		f, h := startFleet(t, srv, n, j)
		fs, hs = append(fs, f), append(hs, h)
	}
	for _, f := range fs {
		f.beat(t.Context()) // every instance sees the three
		waitLive(t, f, 3)
	}
	before := rtTotal(fs)
	const calls, perCall = 60, 10
	for seq := 1; seq <= perCall; seq++ {
		for c := range calls {
			name := "CHANNEL_STATE"
			if seq == perCall {
				name = "CHANNEL_DESTROY"
			}
			broadcast(hs, name, fmt.Sprintf("call-%d", c), seq)
		}
	}
	j.waitFor(t, "every event handled", func(evs []handled) bool { return len(evs) >= calls*perCall })
	waitFor(t, "every claim resolved", func() bool { return pending(fs) == 0 }) // a second owner would show by now
	evs := j.all()
	owners := map[string]int{}
	for uuid, es := range byCall(evs) {
		if len(es) != perCall {
			t.Fatalf("%s: %d events handled, want %d: %+v", uuid, len(es), perCall, es)
		}
		for i, e := range es {
			if e.inst != es[0].inst || e.seq != i+1 || e.repeat {
				t.Fatalf("%s: event %d: %+v (first on %s)", uuid, i, e, es[0].inst)
			}
		}
		owners[es[0].inst]++
	}
	if len(owners) != 3 {
		t.Errorf("calls by owner = %v, want spread over 3", owners)
	}
	rt := rtTotal(fs) - before
	t.Logf("redis round trips: %d for %d events on 3 instances (%.3f per event received)", rt, calls*perCall*3,
		float64(rt)/float64(calls*perCall*3))
	if limit := uint64(calls*3 + calls + 3*20); rt > limit { // a claim per instance, a release, renewals
		t.Errorf("%d round trips, want at most %d", rt, limit)
	}
	waitFor(t, "claims released", func() bool { return ownedTotal(t, fs[0]) == 0 })
}

// pending counts the calls whose claim is not resolved yet.
func pending(fs []*Fleet) int {
	n := 0
	for _, f := range fs {
		for i := range f.calls.shards {
			sh := &f.calls.shards[i]
			sh.mu.Lock()
			for _, c := range sh.calls {
				if c.pending || c.flushing {
					n++
				}
			}
			sh.mu.Unlock()
		}
	}
	return n
}

func rtTotal(fs []*Fleet) uint64 {
	var n uint64
	for _, f := range fs {
		n += f.Stats().RoundTrips
	}
	return n
}

// ownedTotal counts the calls of every instance's owned set.
func ownedTotal(t *testing.T, f *Fleet) int64 {
	st := f.Status(t.Context())
	var n int64
	for _, in := range st.Instances {
		n += in.Calls
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, testWait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTakeover: when an instance stops renewing (as after kill -9), the
// survivor takes its calls over: each gets one EventTakeover naming the
// previous owner and the gap, the events since the gap's start that the
// survivor kept are replayed marked as possible repeats, and the later
// events run there. No event runs unmarked on both.
func TestTakeover(t *testing.T) {
	j, a, ha, _, hb := startPair(t)
	hs := []*fakeHost{ha, hb}
	const calls = 40
	for c := range calls {
		broadcast(hs, "CHANNEL_CREATE", fmt.Sprintf("call-%d", c), 1)
	}
	evs := j.waitFor(t, "first events", func(evs []handled) bool { return len(evs) >= calls })
	ofA := map[string]bool{}
	for _, e := range evs {
		if e.inst == "a" {
			ofA[e.uuid] = true
		}
	}
	if len(ofA) == 0 || len(ofA) == calls {
		t.Fatalf("a owns %d of %d calls", len(ofA), calls)
	}
	a.halt() // a stops as with kill -9: no renewal, no leave
	stopped := time.Now()
	for seq := 2; seq <= 4; seq++ {
		for c := range calls {
			broadcast([]*fakeHost{hb}, "CHANNEL_STATE", fmt.Sprintf("call-%d", c), seq)
		}
	}
	evs = j.waitFor(t, "a's calls taken over and their events replayed", func(evs []handled) bool {
		n := 0
		for _, e := range evs {
			if e.inst == "b" && ofA[e.uuid] && e.seq == 4 {
				n++
			}
		}
		return n == len(ofA)
	})
	took := time.Now()
	for uuid, es := range byCall(evs) {
		checkCall(t, uuid, es, ofA[uuid], stopped)
	}
	t.Logf("%d calls taken over %v after the stop (lease %v)", len(ofA), took.Sub(stopped), testLease)
}

// TestTakeSparesALiveOwner: a takeover decided while the owner's lease
// had lapsed does not take its calls once it renewed again (it is taking
// them back itself). Found in the end-to-end test under load: an
// instance back from a lapse and a survivor both took the same calls.
func TestTakeSparesALiveOwner(t *testing.T) {
	j, a, ha, b, hb := startPair(t)
	broadcast([]*fakeHost{ha, hb}, "CHANNEL_CREATE", "c1", 1)
	evs := j.waitFor(t, "c1 owned", func(evs []handled) bool { return len(evs) == 1 })
	owner, other := a, b
	if evs[0].inst == "b" {
		owner, other = b, a
	}
	got, ok := other.take(t.Context(), owner.me, []string{"c1"})
	if !ok || got[0] != owner.me {
		t.Fatalf("%s took c1 from the live %s: owner %q (ok %v)", other.me, owner.me, got[0], ok)
	}
	in, err := other.c.SIsMember(t.Context(), other.k.owned(owner.me), "c1").Result()
	if err != nil || !in {
		t.Fatalf("c1 left %s's owned set (%v)", owner.me, err)
	}
	owner.halt() // stopped for good: now its calls move
	j.waitFor(t, "c1 taken over once "+owner.me+" stopped", func(evs []handled) bool {
		for _, e := range evs {
			if e.inst == other.me && e.sub == host.EventTakeover && e.uuid == "c1" {
				return true
			}
		}
		return false
	})
}

// TestLateEventsAfterTakeoverAreMarked: the new owner's reader may lag
// behind the old owner's, so an event FreeSWITCH made before the takeover
// can reach the new owner after it; the old owner may have handled it,
// so it runs marked. Events made after the takeover run unmarked.
func TestLateEventsAfterTakeoverAreMarked(t *testing.T) {
	j, a, ha, b, hb := startPair(t)
	var uuid string
	for i := 0; uuid == ""; i++ { // a call a owns
		u := fmt.Sprintf("call-%d", i)
		broadcast([]*fakeHost{ha, hb}, "CHANNEL_CREATE", u, 1)
		evs := j.waitFor(t, u+" owned", func(evs []handled) bool { return len(evs) == i+1 })
		if evs[i].inst == "a" {
			uuid = u
		}
	}
	made := time.Now() // FreeSWITCH makes the next event now; b reads it late
	a.halt()
	j.waitFor(t, "b takes "+uuid, func(evs []handled) bool {
		for _, e := range evs {
			if e.inst == "b" && e.sub == host.EventTakeover && e.uuid == uuid {
				return true
			}
		}
		return false
	})
	stamped := func(seq int, at time.Time) *esl.Event {
		ev := callEvent("CHANNEL_STATE", uuid, seq)
		ev.Add("Event-Date-Timestamp", strconv.FormatInt(at.UnixMicro(), 10))
		return ev
	}
	hb.dispatch("n1", stamped(2, made), time.Now())
	hb.dispatch("n1", stamped(3, time.Now().Add(2*time.Second)), time.Now())
	hb.dispatch("n1", stamped(4, made), time.Now()) // past the check: unmarked
	evs := j.waitFor(t, "the late events", func(evs []handled) bool {
		n := 0
		for _, e := range evs {
			if e.uuid == uuid && e.seq >= 2 {
				n++
			}
		}
		return n == 3
	})
	for _, e := range evs {
		if e.uuid != uuid || e.seq < 2 {
			continue
		}
		if want := e.seq == 2; e.repeat != want || e.inst != b.me {
			t.Errorf("event %d made %s the takeover: on %s marked %v, want on b marked %v", e.seq,
				map[bool]string{true: "before", false: "after"}[e.seq != 3], e.inst, e.repeat, want)
		}
	}
}

// checkCall checks one call of TestTakeover.
func checkCall(t *testing.T, uuid string, es []handled, wasA bool, stopped time.Time) {
	t.Helper()
	if !wasA {
		for i, e := range es {
			if e.inst != "b" || e.seq != i+1 || e.repeat || e.name == "CUSTOM" {
				t.Fatalf("%s (b's): event %d = %+v", uuid, i, e)
			}
		}
		return
	}
	if es[0].inst != "a" || es[0].seq != 1 {
		t.Fatalf("%s: first handled %+v", uuid, es[0])
	}
	tk := es[1]
	if tk.inst != "b" || tk.sub != host.EventTakeover || tk.ev.Get("Previous-Owner") != "a" {
		t.Fatalf("%s: after a's event: %+v, want b's takeover event", uuid, tk)
	}
	start, _ := strconv.ParseInt(tk.ev.Get("Gap-Start"), 10, 64)
	end, _ := strconv.ParseInt(tk.ev.Get("Gap-End"), 10, 64)
	if start > stopped.UnixMicro() || end < stopped.UnixMicro() {
		t.Errorf("%s: gap %d..%d does not hold the stop %d", uuid, start, end, stopped.UnixMicro())
	}
	got := map[int]int{}
	for _, e := range es[2:] {
		if e.inst != "b" || (e.seq == 1 && !e.repeat) {
			t.Fatalf("%s: after the takeover: %+v", uuid, e)
		}
		got[e.seq]++
	}
	for seq := 2; seq <= 4; seq++ {
		if got[seq] != 1 {
			t.Fatalf("%s: event %d handled %d times by b: %+v", uuid, seq, got[seq], es)
		}
	}
}

// TestFence: while Redis does not answer, an instance stops admitting its
// calls' events and node-level events before its lease can lapse; once
// Redis answers again it takes its calls back, with EventTakeover naming
// itself, and the events it held are delivered marked.
func TestFence(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	j := newJournal()
	a, ha := startFleet(t, srv, "a", j)
	ha.dispatch("n1", callEvent("CHANNEL_CREATE", "c1", 1), time.Now())
	j.waitFor(t, "c1 owned", func(evs []handled) bool { return len(evs) == 1 })
	if !a.Leader() {
		t.Fatal("the only instance is not the leader")
	}
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	paused := time.Now()
	waitFor(t, "fenced", func() bool { return !a.Leader() })
	if fencedAfter := time.Since(paused); fencedAfter >= testLease {
		t.Errorf("fenced %v after Redis stopped answering, lease %v", fencedAfter, testLease)
	}
	if got := ha.dispatch("n1", callEvent("CHANNEL_STATE", "c1", 2), time.Now()); got != host.Withheld {
		t.Fatalf("fenced: call event admission = %v, want Withheld", got)
	}
	if got := ha.dispatch("n1", esl.NewEvent("HEARTBEAT"), time.Now()); got != host.EveryInstanceOnly {
		t.Fatalf("fenced: node event admission = %v, want EveryInstanceOnly", got)
	}
	time.Sleep(testLease) // the lease lapses in Redis too
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	evs := j.waitFor(t, "c1 taken back", func(evs []handled) bool { return len(evs) >= 3 })
	if tk := evs[1]; tk.sub != host.EventTakeover || tk.ev.Get("Previous-Owner") != "a" || tk.inst != "a" {
		t.Fatalf("after the fence: %+v, want a's takeover event from a", tk)
	}
	if e := evs[2]; e.seq != 2 || !e.repeat {
		t.Fatalf("held event: %+v, want seq 2 marked", e)
	}
	if got := ha.dispatch("n1", callEvent("CHANNEL_STATE", "c1", 3), time.Now()); got != host.Admitted {
		t.Fatalf("after the fence: admission = %v", got)
	}
	waitFor(t, "leader again", a.Leader)
}

// TestFenceLocal: an instance whose renewal comes too late (a starved
// process: its own fence passed while Redis still holds its lease) has
// withheld its calls' events meanwhile; the late renewal takes its calls
// back with EventTakeover naming itself, replays the held events marked
// and logs that it fenced itself.
func TestFenceLocal(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	j := newJournal()
	var logs syncBuffer
	obs := &countingObserver{}
	a, ha := startFleet(t, srv, "a", j, func(o *Options) {
		o.Logger, o.Observer = slog.New(slog.NewTextHandler(&logs, nil)), obs
	})
	ha.dispatch("n1", callEvent("CHANNEL_CREATE", "c1", 1), time.Now())
	j.waitFor(t, "c1 owned", func(evs []handled) bool { return len(evs) == 1 })
	a.beatMu.Lock() // no beat in between: the next one starts past the fence
	a.fenceAt.Store(time.Now().UnixNano())
	got := ha.dispatch("n1", callEvent("CHANNEL_STATE", "c1", 2), time.Now())
	a.beatMu.Unlock()
	if got != host.Withheld {
		t.Fatalf("fenced: call event admission = %v, want Withheld", got)
	}
	evs := j.waitFor(t, "c1 taken back", func(evs []handled) bool { return len(evs) >= 3 })
	if tk := evs[1]; tk.sub != host.EventTakeover || tk.ev.Get("Previous-Owner") != "a" || tk.inst != "a" {
		t.Fatalf("after the fence: %+v, want a's takeover event from a", tk)
	}
	if e := evs[2]; e.seq != 2 || !e.repeat {
		t.Fatalf("held event: %+v, want seq 2 marked", e)
	}
	if !strings.Contains(logs.String(), "fleet: fenced itself") {
		t.Errorf("no log of the fence in:\n%s", logs.String())
	}
	if n := obs.renewFailed.Load(); n != 1 {
		t.Errorf("%d renewals counted failed, want the late one", n)
	}
}

// countingObserver counts the renewals the fleet reports failed.
type countingObserver struct {
	nopObserver
	renewFailed atomic.Int64
}

func (o *countingObserver) FleetRenewFailed() { o.renewFailed.Add(1) }

// syncBuffer is a bytes.Buffer a logger may write from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLeader: one instance is the leader and gets node-level events; the
// other gets them only for every_instance scripts; when the leader stops,
// the other takes the lead.
func TestLeader(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	j := newJournal()
	a, _ := startFleet(t, srv, "a", j)
	b, _ := startFleet(t, srv, "b", j)
	if !a.Leader() || b.Leader() {
		t.Fatalf("leaders: a %v, b %v; want a (first)", a.Leader(), b.Leader())
	}
	hb := esl.NewEvent("HEARTBEAT")
	if got := a.Admit("n1", hb, "HEARTBEAT", "", time.Now()); got != host.Admitted {
		t.Errorf("leader: %v", got)
	}
	if got := b.Admit("n1", hb, "HEARTBEAT", "", time.Now()); got != host.EveryInstanceOnly {
		t.Errorf("other: %v", got)
	}
	a.halt()
	waitFor(t, "b leads", b.Leader)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	st := b.Status(t.Context())
	if st.Leader != "b" || st.Instance != "b" {
		t.Errorf("status: %+v", st)
	}
}

// TestStreamsApart: two instances whose streams are far apart (one sees
// every call, in two rounds of the same uuids, before the other sees
// any) still run each call's events on one instance, all of them, in
// order.
func TestStreamsApart(t *testing.T) {
	j, a, ha, b, hb := startPair(t)
	const calls, perCall = 50, 6
	feed := func(h *fakeHost) {
		for round := range 2 {
			for seq := 1; seq <= perCall; seq++ {
				for c := range calls {
					name := "CHANNEL_STATE"
					if seq == perCall {
						name = "CHANNEL_DESTROY"
					}
					h.dispatch("n1", callEvent(name, fmt.Sprintf("call-%d", c), round*perCall+seq), time.Now())
				}
			}
		}
	}
	feed(hb)
	waitFor(t, "b's claims resolved", func() bool { return pending([]*Fleet{b}) == 0 })
	feed(ha)
	j.waitFor(t, "every event handled", func(evs []handled) bool { return len(evs) >= 2*calls*perCall })
	waitFor(t, "every claim resolved", func() bool { return pending([]*Fleet{a, b}) == 0 })
	for uuid, es := range byCall(j.all()) {
		if len(es) != 2*perCall {
			t.Fatalf("%s: %d events handled, want %d: %+v", uuid, len(es), 2*perCall, es)
		}
		for i, e := range es {
			if e.inst != es[0].inst || e.seq != i+1 {
				t.Fatalf("%s: event %d: %+v (first on %s)", uuid, i, e, es[0].inst)
			}
		}
	}
}

// TestCloseForgets: a closed Fleet keeps no call and no held event (each
// keeps its read chunk alive in a real host, which may still refer to the
// Fleet: the fleet benchmark's hosts did, and the histories of the
// previous runs' closed instances pushed the process over the host's
// memory bound, whose kills reset Lua states), and keeps none of the
// events it is asked about afterwards.
func TestCloseForgets(t *testing.T) {
	j, a, ha, b, hb := startPair(t)
	const calls, perCall = 40, 5
	for seq := 1; seq <= perCall; seq++ {
		for c := range calls {
			broadcast([]*fakeHost{ha, hb}, "CHANNEL_STATE", fmt.Sprintf("call-%d", c), seq)
		}
	}
	j.waitFor(t, "every event handled", func(evs []handled) bool { return len(evs) >= calls*perCall })
	waitFor(t, "every claim resolved", func() bool { return pending([]*Fleet{a, b}) == 0 })
	if a.heldBytes.Load() == 0 || countCalls(a) != calls {
		t.Fatalf("before Close: a holds %d bytes of %d calls, want history of b's calls among %d",
			a.heldBytes.Load(), countCalls(a), calls)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if n, held := countCalls(a), a.heldBytes.Load(); n != 0 || held != 0 {
		t.Fatalf("after Close: a keeps %d calls and %d bytes of events, want none", n, held)
	}
	for seq := perCall + 1; seq <= perCall+3; seq++ {
		for _, uuid := range []string{"call-0", "call-1", "new-call"} {
			if got := ha.dispatch("n1", callEvent("CHANNEL_STATE", uuid, seq), time.Now()); got != host.Withheld {
				t.Fatalf("after Close: %s admission = %v, want Withheld", uuid, got)
			}
		}
	}
	if n, held := countCalls(a), a.heldBytes.Load(); n != 0 || held != 0 {
		t.Fatalf("events after Close: a keeps %d calls and %d bytes of events, want none", n, held)
	}
}

// countCalls counts the calls f knows.
func countCalls(f *Fleet) int {
	n := 0
	for i := range f.calls.shards {
		sh := &f.calls.shards[i]
		sh.mu.Lock()
		n += len(sh.calls)
		sh.mu.Unlock()
	}
	return n
}
