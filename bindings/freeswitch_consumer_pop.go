package bindings

import (
	"errors"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// errStreamEnded is why pop returns nil once the node's connection has
// ended for good.
var errStreamEnded = errors.New("bindings: EventConsumer: the FreeSWITCH connection ended")

// consumerPop implements con:pop([block=0[, timeout_ms=0]]): the oldest
// queued event, or nil. block=0 never waits; block=1 waits until an event
// comes, or at most timeout_ms when it is positive. A wait runs the
// state's loop callbacks (timers, bgapi callbacks) and ends with the
// handler's context (exec --timeout, SIGINT, the call's end). Once the
// node's connection has ended for good (the client was closed or gave
// up), pop returns nil and errStreamEnded's text, an extra result mod_lua
// does not have.
func consumerPop(L *lua.LState) int {
	c := checkConsumer(L)
	wait := popBlock(L, 2)
	ms := optInt(L, 3, 0)
	ev := c.pop(L, wait, ms)
	if ev == nil && c.ended {
		L.Push(lua.LNil)
		L.Push(lua.LString(errStreamEnded.Error()))
		return 2
	}
	if ev == nil {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(pushEvent(L, ev))
	return 1
}

// popBlock reads the block argument: a non-zero number (or true) blocks.
func popBlock(L *lua.LState, n int) bool {
	switch v := L.Get(n).(type) {
	case lua.LBool:
		return bool(v)
	case *lua.LNilType:
		return false
	}
	return argInt(L, n) != 0
}

// pop returns the next event, waiting as asked; nil when none came or
// the consumer is closed.
func (c *fsConsumer) pop(L *lua.LState, wait bool, ms int) *esl.Event {
	c.noteDrops()
	if c.closed() {
		return nil
	}
	select {
	case ev, ok := <-c.sub.C:
		return c.received(ev, ok)
	default:
	}
	if !wait {
		return nil
	}
	return c.wait(L, c.rt.after(ms, ms > 0))
}

// wait blocks for an event, the timeout, the handler's context or the
// consumer's end, running loop callbacks meanwhile.
func (c *fsConsumer) wait(L *lua.LState, timeout <-chan time.Time) *esl.Event {
	ctx, pend := c.rt.ctx(), c.rt.pending()
	for {
		select {
		case ev, ok := <-c.sub.C:
			return c.received(ev, ok)
		case fn := <-pend:
			fn(L)
			if c.closed() {
				return nil
			}
		case <-timeout:
			return nil
		case <-ctx.Done():
			return nil
		case <-c.stop:
			return nil
		}
	}
}

// received returns an event taken from the subscription; when its
// channel was closed by the connection's end, not by us, it closes the
// consumer and marks it ended.
func (c *fsConsumer) received(ev *esl.Event, ok bool) *esl.Event {
	if !ok && !c.closed() {
		c.ended = true
		c.close()
	}
	return ev
}

// noteDrops logs, once per consumer, that its queue overflowed (mod_lua:
// "Cannot queue any more events").
func (c *fsConsumer) noteDrops() {
	if c.dropLogged {
		return
	}
	if n := c.sub.Dropped(); n > 0 {
		c.dropLogged = true
		c.rt.logger().Warn("bindings: freeswitch.EventConsumer: queue full, events dropped",
			append(runArgs(c.rt), "dropped", n, "queue_len", cap(c.sub.C))...)
	}
}
