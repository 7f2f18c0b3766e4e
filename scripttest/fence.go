package scripttest

import (
	"fmt"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// catchUp waits until the host ran the handlers of every event the
// simulator queued so far. The simulator first writes every queued event
// (Flush); an api round trip on the node's connection then guarantees
// that those events reached the subscriptions, since its reply is written
// after them on the same socket. The runner's own subscription sees the
// same events as the host's and counts the handlers each one triggers,
// which the observer then waits for.
func (w *world) catchUp(mode driveMode) error {
	if err := w.sim.Flush(w.ctx); err != nil {
		return fmt.Errorf("scripttest: simulator: %w", err)
	}
	if _, err := w.client.API(w.ctx, fenceCmd); err != nil {
		return fmt.Errorf("scripttest: simulator connection: %w", err)
	}
	w.countDelivered()
	return w.drive("the event handlers", mode, func() bool { return w.obs.eventRuns() >= w.expected })
}

// countDelivered adds the handler runs of every event queued on the
// runner's subscription.
func (w *world) countDelivered() {
	for {
		select {
		case ev, ok := <-w.mon.C:
			if !ok {
				return
			}
			w.expected += w.targets(ev)
		default:
			return
		}
	}
}

// targets counts the handlers an event goes to, as the host picks them:
// events[Event-Name], for CUSTOM events events[Event-Subclass], and "*".
func (w *world) targets(ev *esl.Event) int {
	n := 0
	for _, s := range w.gen.Scripts() {
		for _, k := range s.Events {
			if k == ev.Name() || k == "*" || (ev.Name() == "CUSTOM" && k == ev.Subclass() && k != "") {
				n++
			}
		}
	}
	return n
}

// fire feeds ev to the consumer handlers and waits until they ran. It
// returns the number of handler runs and the failures among them.
func (w *world) fire(ev *esl.Event) (int, []handlerFailure, error) {
	before, failed := w.expected, w.obs.failureCount()
	w.sim.Fire(ev)
	if err := w.catchUp(autoAdvance); err != nil {
		return 0, nil, err
	}
	return w.expected - before, w.obs.failures(failed), nil
}

// newEvent builds an event to fire: a CUSTOM event when name is a
// subclass ("sofia::register") or "CUSTOM" with an Event-Subclass header.
func (w *world) newEvent(name string, headers [][2]string, body string) *esl.Event {
	var ev *esl.Event
	switch {
	case strings.Contains(name, "::"):
		ev = w.sim.CustomEvent(name)
	default:
		ev = w.sim.NewEvent(name)
	}
	for _, h := range headers {
		ev.Set(h[0], h[1])
	}
	if body != "" {
		ev.SetBody(body)
	}
	return ev
}
