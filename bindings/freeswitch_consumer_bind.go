package bindings

import (
	"slices"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// fsBinding is one con:bind: an event name ("ALL" for every event) and
// an optional subclass ("" for any).
type fsBinding struct {
	name, subclass string
}

// matches reports whether ev (named name) is bound.
func (b fsBinding) matches(name string, ev *esl.Event) bool {
	if b.name != "ALL" && b.name != name {
		return false
	}
	return b.subclass == "" || ev.Subclass() == b.subclass
}

// wireName is the name "event plain" subscribes with: "CUSTOM <sub>"
// for a CUSTOM subclass (FreeSWITCH's ESL takes subclasses only for
// CUSTOM), else the event name.
func (b fsBinding) wireName() string {
	if b.name == "CUSTOM" && b.subclass != "" {
		return "CUSTOM " + b.subclass
	}
	return b.name
}

// wants is the subscription's filter; it runs on the reader goroutine.
func (c *fsConsumer) wants(ev *esl.Event) bool {
	p := c.binds.Load()
	if p == nil {
		return false
	}
	name := ev.Name()
	for _, b := range *p {
		if b.matches(name, ev) {
			return true
		}
	}
	return false
}

// consumerEventName normalises a bind name (any case, SWITCH_EVENT_
// prefix allowed); ok is false for a name FreeSWITCH does not know.
func consumerEventName(name string) (string, bool) {
	n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "SWITCH_EVENT_")
	return n, esl.IsEventName(n)
}

// bind adds a binding and subscribes on the wire. Like mod_lua it
// returns false (and logs) for an unknown name, and also when the
// consumer is closed or FreeSWITCH refuses the subscription.
func (c *fsConsumer) bind(name, subclass string) bool {
	n, ok := consumerEventName(name)
	if !ok || c.closed() {
		c.rt.logger().Warn("bindings: freeswitch.EventConsumer: cannot bind",
			append(runArgs(c.rt), "event", name, "subclass", subclass)...)
		return false
	}
	b := fsBinding{name: n, subclass: strings.TrimSpace(subclass)}
	c.addBinding(b)
	if err := c.subscribeWire(b.wireName()); err != nil {
		c.removeBinding(b)
		c.rt.logger().Warn("bindings: freeswitch.EventConsumer: bind failed",
			append(runArgs(c.rt), "event", n, "subclass", b.subclass, "error", errText(err))...)
		return false
	}
	return true
}

// addBinding publishes the bindings plus b (before the wire subscription,
// so that no event sent right after FreeSWITCH's reply is missed).
func (c *fsConsumer) addBinding(b fsBinding) {
	var next []fsBinding
	if p := c.binds.Load(); p != nil {
		next = slices.Clone(*p)
	}
	next = append(next, b)
	c.binds.Store(&next)
}

// removeBinding drops one copy of b.
func (c *fsConsumer) removeBinding(b fsBinding) {
	p := c.binds.Load()
	if p == nil {
		return
	}
	next := slices.Clone(*p)
	if i := slices.Index(next, b); i >= 0 {
		next = slices.Delete(next, i, i+1)
	}
	c.binds.Store(&next)
}

// subscribeWire sends "event plain <wire>" once per consumer and name,
// through Events (replayed after a reconnect) when the source has it.
func (c *fsConsumer) subscribeWire(wire string) error {
	if c.wire[wire] {
		return nil
	}
	var err error
	if eb, ok := c.src.(eventBinder); ok {
		err = eb.Events(c.rt.ctx(), wire)
	} else {
		_, err = c.cmd.Send(c.rt.ctx(), esl.EventCmd{Names: []string{wire}})
	}
	if err == nil {
		c.wire[wire] = true
	}
	return err
}
