package esltest

import (
	"context"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// Fire delivers ev to every listener whose subscription, filters and
// myevents setting accept it, exactly as FreeSWITCH's event_handler does.
// ev must not be modified afterwards. Build it with NewEvent or one of the
// builders to get realistic headers.
func (s *Server) Fire(ev *esl.Event) {
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	s.deliver(newWireEvent(ev))
}

// emit builds an event with fill (under the sequence lock, so Event-Sequence
// order is delivery order) and fires it.
func (s *Server) emit(name string, fill func(ev *esl.Event)) *esl.Event {
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	ev := s.newEventLocked(name)
	fill(ev)
	s.deliver(newWireEvent(ev))
	return ev
}

// deliver queues w on every accepting connection; emitMu must be held.
func (s *Server) deliver(w *wireEvent) {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		if c.accepts(w) {
			c.queueEvent(outItem{ev: w})
		}
	}
}

// accepts is event_handler's per-listener test.
func (c *Conn) accepts(w *wireEvent) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.authed || c.dead || !c.subs.wants(w.name, w.subclass) {
		return false
	}
	if !passFilters(c.filters, w.ev) {
		return false
	}
	if c.myevents && c.call != nil {
		return w.uniqueID == c.call.uuid || w.jobOwner == c.call.uuid
	}
	return true
}

// Flood fires ev n times as fast as possible (to overrun slow readers).
func (s *Server) Flood(ev *esl.Event, n int) {
	w := newWireEvent(ev)
	for range n {
		s.emitMu.Lock()
		s.deliver(w)
		s.emitMu.Unlock()
	}
}

// Subscribed reports whether some authenticated connection would receive
// an event of that name (CUSTOM events: "CUSTOM sub::class").
func (s *Server) Subscribed(name string) bool {
	ev, sub, _ := strings.Cut(name, " ")
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.mu.Lock()
		ok := c.authed && !c.dead && c.subs.wants(ev, sub)
		c.mu.Unlock()
		if ok {
			return true
		}
	}
	return false
}

// WaitSubscribed waits until some client subscribed to the event name, so
// a test can fire it without sleeping.
func (s *Server) WaitSubscribed(ctx context.Context, name string) error {
	return s.waitFor(ctx, "subscription to "+name, func() bool { return s.Subscribed(name) })
}
