package conformance

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/internal/realfs"
)

// limit bounds every wait of the suite.
const limit = 20 * time.Second

// target is one implementation under comparison: the real FreeSWITCH or
// the simulator. A scenario gets a fresh target per run (the real one
// shares its process-wide instance, so scenarios scope everything to
// their own calls).
type target interface {
	Name() string
	// Client dials an authenticated inbound client.
	Client(t *testing.T) *esl.Client
	// Watch is an inbound observer subscribed to every event.
	Watch() *watcher
	// Place starts a call whose channel runs the test dialplan: "socket
	// addr async full", then "set after_socket=reached" and "hangup
	// NORMAL_CLEARING". vars become channel variables.
	Place(t *testing.T, addr string, vars map[string]string) *callRef
	// FarHangup hangs the call up from the far end, which loses its media
	// first: an application that is running completes before the hangup.
	FarHangup(t *testing.T, c *callRef)
	// Dial returns a dial string of kind "park" (answers and parks),
	// "busy" (USER_BUSY) or "error/CAUSE".
	Dial(kind string) string
}

// callRef is a placed call.
type callRef struct {
	aLeg string        // real: the loopback a-leg (the far end)
	sim  *esltest.Call // sim: the channel
	w    *watcher
}

// Leg returns the uuid of the channel that runs the dialplan, waiting for
// its first event on the real server.
func (c *callRef) Leg(t *testing.T) string {
	t.Helper()
	if c.sim != nil {
		return c.sim.UUID()
	}
	ev := c.w.Wait(t, "the b-leg of "+c.aLeg, func(ev *esl.Event) bool {
		return ev.Var("other_loopback_leg_uuid") == c.aLeg && strings.HasSuffix(ev.Get("Channel-Name"), "-b")
	})
	return ev.UniqueID()
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

// realTarget is the process's real FreeSWITCH.
type realTarget struct{ fs *realfs.FreeSWITCH }

var realWatch struct {
	once sync.Once
	w    *watcher
	err  error
}

func newReal(t *testing.T) target {
	fs := realfs.Start(t)
	realWatch.once.Do(func() {
		realWatch.w, realWatch.err = newWatcher(fs.Addr, fs.Password)
	})
	if realWatch.err != nil {
		t.Fatalf("real watcher: %v", realWatch.err)
	}
	return &realTarget{fs: fs}
}

func (r *realTarget) Name() string    { return "real" }
func (r *realTarget) Watch() *watcher { return realWatch.w }

func (r *realTarget) Client(t *testing.T) *esl.Client {
	return dialClient(t, r.fs.Addr, r.fs.Password)
}

func (r *realTarget) Place(t *testing.T, addr string, vars map[string]string) *callRef {
	_, port, _ := strings.Cut(addr, ":")
	return &callRef{aLeg: r.fs.Originate(t, "sock"+port, vars), w: realWatch.w}
}

func (r *realTarget) FarHangup(t *testing.T, c *callRef) {
	r.fs.MustAPI(t, "uuid_kill "+c.aLeg)
}

func (r *realTarget) Dial(kind string) string {
	switch kind {
	case "park":
		return "loopback/park/default"
	case "busy":
		return "loopback/busy/default"
	}
	return kind
}

// simTarget is a simulator of the scenario's own, in real time.
type simTarget struct {
	s *esltest.Server
	w *watcher
}

func newSim(t *testing.T) target {
	s := esltest.New(t, esltest.Options{FileExists: func(path string) bool {
		_, err := os.Stat(path)
		return err == nil
	}, MissingApps: []string{missingApp}})
	w, err := newWatcher(s.Addr(), s.Password())
	if err != nil {
		t.Fatalf("sim watcher: %v", err)
	}
	t.Cleanup(w.Close)
	return &simTarget{s: s, w: w}
}

func (s *simTarget) Name() string    { return "sim" }
func (s *simTarget) Watch() *watcher { return s.w }

func (s *simTarget) Client(t *testing.T) *esl.Client {
	return dialClient(t, s.s.Addr(), s.s.Password())
}

func (s *simTarget) Place(t *testing.T, addr string, vars map[string]string) *callRef {
	call := s.s.NewCall(esltest.CallOptions{
		Variables:   vars,
		Destination: "sock",
		ChannelName: "loopback/sock-b",
		AfterSocket: []esltest.DialplanApp{{App: "set", Args: "after_socket=reached"}, {App: "hangup", Args: "NORMAL_CLEARING"}},
	})
	if _, err := s.s.Dial(ctxT(t), addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		t.Fatalf("sim dial: %v", err)
	}
	return &callRef{sim: call, w: s.w}
}

func (s *simTarget) FarHangup(t *testing.T, c *callRef) { c.sim.HangupAfterApp("NORMAL_CLEARING") }

func (s *simTarget) Dial(kind string) string {
	switch kind {
	case "park":
		return "loopback/park/default"
	case "busy":
		s.s.FailDial("loopback/busy/", "USER_BUSY")
		return "loopback/busy/default"
	}
	return kind
}

// dialClient dials an inbound client closed when the test ends.
func dialClient(t *testing.T, addr, password string) *esl.Client {
	t.Helper()
	c, err := esl.Dial(ctxT(t), addr, esl.Options{Password: password})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
