package fleet

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
)

// testLease is short so that takeovers happen within a test's patience.
const testLease = 600 * time.Millisecond

// testWait bounds every wait.
const testWait = 10 * time.Second

// handled is one event a fake host ran handlers for.
type handled struct {
	inst, uuid, name, sub string
	seq                   int
	repeat                bool
	ev                    *esl.Event
}

// fakeHost stands for host.Host: it asks the fleet about every event as
// dispatchNamed does and records what it admitted, per instance.
type fakeHost struct {
	f    *Fleet
	inst string
	log  *journal
}

// journal collects what every instance handled, in order.
type journal struct {
	mu   sync.Mutex
	evs  []handled
	cond *sync.Cond
}

func newJournal() *journal {
	j := &journal{}
	j.cond = sync.NewCond(&j.mu)
	return j
}

func (j *journal) add(h handled) {
	j.mu.Lock()
	j.evs = append(j.evs, h)
	j.mu.Unlock()
}

func (j *journal) all() []handled {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]handled(nil), j.evs...)
}

// waitFor polls until cond holds over the journal, failing after testWait.
func (j *journal) waitFor(t *testing.T, what string, cond func([]handled) bool) []handled {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for {
		evs := j.all()
		if cond(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v (%d events handled)", what, testWait, len(evs))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Deliver implements Sink.
func (h *fakeHost) Deliver(node string, ev *esl.Event, at time.Time) { h.dispatch(node, ev, at) }

// dispatch asks the fleet and records an admitted event.
func (h *fakeHost) dispatch(node string, ev *esl.Event, at time.Time) host.Admission {
	uuid := ev.Get("Unique-ID")
	a := h.f.Admit(node, ev, ev.Name(), uuid, at)
	if a == host.Admitted {
		seq, _ := strconv.Atoi(ev.Get("Event-Sequence"))
		h.log.add(handled{inst: h.inst, uuid: uuid, name: ev.Name(), sub: ev.Get("Event-Subclass"), seq: seq,
			repeat: ev.Get(RepeatHeader) == "true", ev: ev})
	}
	return a
}

// startFleet starts an instance on srv, closed when t ends.
func startFleet(t *testing.T, srv *rediskvtest.Server, name string, j *journal, tune ...func(*Options)) (*Fleet, *fakeHost) {
	t.Helper()
	o := Options{Address: srv.Address, Instance: name, Lease: testLease, Prefix: "t:"}
	for _, fn := range tune {
		fn(&o)
	}
	f := New(o)
	h := &fakeHost{f: f, inst: name, log: j}
	f.Start(context.Background(), h)
	t.Cleanup(func() { _ = f.Close() })
	return f, h
}

// startPair starts instances a and b on a new Redis, sharing a journal,
// and waits until each sees both live.
func startPair(t *testing.T) (j *journal, a *Fleet, ha *fakeHost, b *Fleet, hb *fakeHost) {
	t.Helper()
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	j = newJournal()
	a, ha = startFleet(t, srv, "a", j)
	b, hb = startFleet(t, srv, "b", j)
	a.beat(t.Context())
	waitLive(t, a, 2)
	waitLive(t, b, 2)
	return j, a, ha, b, hb
}

// callEvent is an event of a call with a sequence number.
func callEvent(name, uuid string, seq int) *esl.Event {
	ev := esl.NewEvent(name)
	ev.Add("Unique-ID", uuid)
	ev.Add("Event-Sequence", strconv.Itoa(seq))
	return ev
}

// broadcast hands one event to every instance, as FreeSWITCH does to
// every connection subscribed: each gets its own copy.
func broadcast(hs []*fakeHost, name, uuid string, seq int) {
	now := time.Now()
	for _, h := range hs {
		h.dispatch("n1", callEvent(name, uuid, seq), now)
	}
}

// waitLive waits until f's view lists n live members.
func waitLive(t *testing.T, f *Fleet, n int) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for len(f.liveMembers()) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%s sees %v live, want %d", f.me, f.liveMembers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
