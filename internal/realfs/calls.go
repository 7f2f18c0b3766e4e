package realfs

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// NewUUID returns a random version-4 UUID (for origination_uuid).
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Originate starts a loopback call to extension ext of context default
// without waiting for it ("bgapi originate"): the a-leg parks, the b-leg
// runs the dialplan of ext. vars become the a-leg's {} variables
// (loopback copies them to the b-leg). It returns the a-leg's uuid.
func (fs *FreeSWITCH) Originate(t testing.TB, ext string, vars map[string]string) string {
	t.Helper()
	id := NewUUID()
	parts := []string{"origination_uuid=" + id}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+vars[k])
	}
	cmd := "originate {" + strings.Join(parts, ",") + "}loopback/" + ext + "/default &park"
	if err := fs.client.bgapi(cmd); err != nil {
		t.Fatalf("realfs: bgapi %s: %v", cmd, err)
	}
	return id
}

// bgapi sends a bgapi command and returns once FreeSWITCH accepted it.
func (c *Client) bgapi(cmd string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.nc == nil {
		if err := c.dial(ctx); err != nil {
			return err
		}
	}
	dl, _ := ctx.Deadline()
	_ = c.nc.SetDeadline(dl)
	if _, err := io.WriteString(c.nc, "bgapi "+cmd+"\n\n"); err != nil {
		c.drop()
		return err
	}
	for {
		h, _, err := readPacket(c.r)
		if err != nil {
			c.drop()
			return err
		}
		if h["Content-Type"] == "command/reply" {
			if !strings.HasPrefix(h["Reply-Text"], "+OK") {
				return fmt.Errorf("refused: %s", h["Reply-Text"])
			}
			return nil
		}
	}
}

// Recorder keeps the channel events FreeSWITCH fires, grouped by call:
// what FreeSWITCH saw, independent of the code under test.
type Recorder struct {
	mu     sync.Mutex
	events []Event
	bleg   map[string]string // a-leg uuid -> b-leg uuid
	wake   chan struct{}
}

// RecordedEvents are the events a Recorder subscribes to. CUSTOM comes
// last: FreeSWITCH takes every word after it as a subclass, and as given
// it brings only the CUSTOM events without a subclass (RecordEvents names
// subclasses).
var RecordedEvents = []string{"CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_EXECUTE",
	"CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY",
	"CHANNEL_PARK", "CHANNEL_UNPARK", "CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE", "DTMF",
	"PLAYBACK_START", "PLAYBACK_STOP", "RECORD_START", "RECORD_STOP", "BACKGROUND_JOB", "CUSTOM"}

// Record subscribes to RecordedEvents for the rest of the test.
func (fs *FreeSWITCH) Record(t testing.TB) *Recorder {
	t.Helper()
	return fs.RecordEvents(t, RecordedEvents...)
}

// RecordEvents is Record for the given event names ("CUSTOM e2e::ping"
// for a subclass: FreeSWITCH sends a CUSTOM event that has a subclass
// only to listeners that named that subclass).
func (fs *FreeSWITCH) RecordEvents(t testing.TB, names ...string) *Recorder {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := fs.client.Subscribe(ctx, names...)
	if err != nil {
		t.Fatalf("realfs: subscribe: %v", err)
	}
	r := &Recorder{wake: make(chan struct{}), bleg: map[string]string{}}
	go func() {
		for ev := range ch {
			r.mu.Lock()
			r.events = append(r.events, ev)
			if a := ev.Get("variable_other_loopback_leg_uuid"); a != "" && strings.HasSuffix(ev.Get("Channel-Name"), "-b") {
				r.bleg[a] = ev.Get("Unique-ID")
			}
			close(r.wake)
			r.wake = make(chan struct{})
			r.mu.Unlock()
		}
	}()
	return r
}

// Events returns the events recorded so far that match keep.
func (r *Recorder) Events(keep func(Event) bool) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, ev := range r.events {
		if keep(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// Wait returns the first recorded event that matches keep, waiting for it
// up to limit; it fails the test after that.
func (r *Recorder) Wait(t testing.TB, limit time.Duration, what string, keep func(Event) bool) Event {
	t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		wake := r.wake
		for _, ev := range r.events {
			if keep(ev) {
				r.mu.Unlock()
				return ev
			}
		}
		r.mu.Unlock()
		select {
		case <-wake:
		case <-deadline.C:
			t.Fatalf("realfs: no %s within %s", what, limit)
			return Event{}
		}
	}
}

// BLeg matches the events of the b-leg (the leg that runs the dialplan)
// of the loopback call whose a-leg is aUUID. It is called with the
// Recorder's lock held (from Events and Wait).
func (r *Recorder) BLeg(aUUID string) func(Event) bool {
	return func(ev Event) bool {
		b := r.bleg[aUUID]
		return b != "" && ev.Get("Unique-ID") == b
	}
}

// BLegUUID returns the b-leg's uuid once an event of it was seen.
func (r *Recorder) BLegUUID(aUUID string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bleg[aUUID]
}

// Named matches events called name (or, for CUSTOM, of that subclass) that
// also match keep.
func Named(name string, keep func(Event) bool) func(Event) bool {
	return func(ev Event) bool {
		n := ev.Get("Event-Name")
		if n == "CUSTOM" && name != "CUSTOM" {
			n = ev.Get("Event-Subclass")
		}
		return n == name && keep(ev)
	}
}

// Hangup waits for the b-leg's CHANNEL_HANGUP_COMPLETE and returns it.
func (r *Recorder) Hangup(t testing.TB, aUUID string, limit time.Duration) Event {
	t.Helper()
	return r.Wait(t, limit, "CHANNEL_HANGUP_COMPLETE of the b-leg of "+aUUID,
		Named("CHANNEL_HANGUP_COMPLETE", r.BLeg(aUUID)))
}

// Apps lists "app(data)" for every application FreeSWITCH started on the
// b-leg of aUUID, in order.
func (r *Recorder) Apps(aUUID string) []string {
	var out []string
	for _, ev := range r.Events(Named("CHANNEL_EXECUTE", r.BLeg(aUUID))) {
		out = append(out, ev.Get("Application")+"("+ev.Get("Application-Data")+")")
	}
	return out
}

// Channels returns how many channels FreeSWITCH has.
func (fs *FreeSWITCH) Channels(t testing.TB) int {
	t.Helper()
	out := fs.MustAPI(t, "show channels count")
	var n int
	if _, err := fmt.Sscanf(strings.TrimSpace(out), "%d total.", &n); err != nil {
		t.Fatalf("realfs: show channels count: %q", out)
	}
	return n
}
