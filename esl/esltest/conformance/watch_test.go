package conformance

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// watcher is an inbound client that keeps every event the target fires,
// in wire order: what FreeSWITCH (or the simulator) did, independent of
// the outbound socket under test.
type watcher struct {
	c *esl.Client

	mu     sync.Mutex
	events []*esl.Event
	wake   chan struct{}
}

func newWatcher(addr, password string) (*watcher, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	c, err := esl.Dial(ctx, addr, esl.Options{Password: password})
	if err != nil {
		return nil, err
	}
	w := &watcher{c: c, wake: make(chan struct{})}
	sub := c.Subscribe(esl.SubscribeOptions{Queue: 1 << 20})
	if err := c.Events(ctx, "ALL"); err != nil {
		c.Close()
		return nil, err
	}
	go func() {
		for ev := range sub.C {
			if ev.Name() == "HEARTBEAT" || ev.Name() == "RE_SCHEDULE" {
				continue
			}
			w.mu.Lock()
			w.events = append(w.events, ev)
			close(w.wake)
			w.wake = make(chan struct{})
			w.mu.Unlock()
		}
	}()
	return w, nil
}

// Close ends the watcher's connection.
func (w *watcher) Close() { w.c.Close() }

// Leg returns the events of channel uuid seen so far.
func (w *watcher) Leg(uuid string) []*esl.Event {
	return w.Events(func(ev *esl.Event) bool { return ev.UniqueID() == uuid })
}

// Events returns the events seen so far that match keep.
func (w *watcher) Events(keep func(*esl.Event) bool) []*esl.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []*esl.Event
	for _, ev := range w.events {
		if keep(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// Wait returns the first event that matches keep, waiting up to limit.
func (w *watcher) Wait(t *testing.T, what string, keep func(*esl.Event) bool) *esl.Event {
	t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		wake := w.wake
		for _, ev := range w.events {
			if keep(ev) {
				w.mu.Unlock()
				return ev
			}
		}
		w.mu.Unlock()
		select {
		case <-wake:
		case <-deadline.C:
			t.Fatalf("no %s within %s", what, limit)
			return nil
		}
	}
}

// WaitLeg waits for the event called name of channel uuid.
func (w *watcher) WaitLeg(t *testing.T, uuid, name string) *esl.Event {
	t.Helper()
	return w.Wait(t, name+" of "+uuid, func(ev *esl.Event) bool {
		return ev.UniqueID() == uuid && ev.Name() == name
	})
}
