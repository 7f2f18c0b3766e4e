package bindings

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// freeswitch.EventConsumer([event_name[, subclass[, queue_len=5000]]]):
// mod_lua's event queue, for long-running luarun-style services run with
// `eslscript exec`.
//
//	con:bind(event_name[, subclass]) -> true | false
//	con:pop([block=0[, timeout_ms=0]]) -> event | nil
//	con:cleanup()
//
// Over ESL a consumer is a Go-side subscription (esl.Subscription) on the
// node's inbound connection, filtered to the consumer's bindings, with
// queue_len slots: when full, further events are dropped, counted and
// logged once. bind also sends "event plain <NAME>" ("event plain CUSTOM
// <subclass>" for CUSTOM with a subclass) so that FreeSWITCH sends them;
// that wire subscription stays for the connection's life, since other
// consumers (or the host) may share it. Popped events are the event
// objects handlers get (getHeader, serialize, ...).
//
// A consumer ends at cleanup(), when the handler that made it ends (for
// exec the whole run, for a call script the call) or when the state is
// closed (Runtime.Done); pop then returns nil. It also ends when the node's
// connection ends for good (closed, or its reconnecting gave up); pop
// then returns nil and an error.

// errNoEventSource is why EventConsumer is refused: no FreeSWITCH
// connection whose event stream a script can subscribe to.
var errNoEventSource = errors.New("bindings: no FreeSWITCH connection to stream events from")

// eventSource is a connection whose events can be subscribed to on the Go
// side; *esl.Client satisfies it.
type eventSource interface {
	Subscribe(opts esl.SubscribeOptions) *esl.Subscription
}

// CommanderUnwrapper is a Commander wrapping another one (metrics,
// tracing); EventConsumer looks through it for an eventSource.
type CommanderUnwrapper interface {
	Unwrap() Commander
}

// eventBinder subscribes on the wire and remembers it across reconnects
// (*esl.Client's Events).
type eventBinder interface {
	Events(ctx context.Context, names ...string) error
}

const (
	consumerTypeName    = "eslscript.freeswitch.consumer"
	consumerDefaultQLen = 5000
)

// fsConsumer is one EventConsumer object.
type fsConsumer struct {
	rt    *Runtime
	cmd   Commander // sends "event plain" (as configured, maybe wrapped)
	src   eventSource
	sub   *esl.Subscription
	binds atomic.Pointer[[]fsBinding] // read by the reader goroutine
	wire  map[string]bool             // wire names this consumer sent
	stop  chan struct{}
	once  sync.Once
	// dropLogged is set once the first dropped event was logged.
	dropLogged bool
	// ended is set when the connection's end closed the subscription.
	ended bool
}

// fsNewConsumer implements freeswitch.EventConsumer(...).
func fsNewConsumer(L *lua.LState, rt *Runtime) int {
	name, subclass := optStr(L, 1, ""), optStr(L, 2, "")
	qlen := optInt(L, 3, consumerDefaultQLen)
	if qlen <= 0 {
		qlen = consumerDefaultQLen
	}
	c, err := newFSConsumer(rt, qlen)
	if err != nil {
		L.RaiseError("freeswitch.EventConsumer is not supported by eslscript here: %s "+
			"(a consumer needs an inbound node connection, as eslscript exec has)", err.Error())
	}
	ud := L.NewUserData()
	ud.Value = c
	L.SetMetatable(ud, consumerMetatable(L))
	if name != "" {
		c.bind(name, subclass)
	}
	L.Push(ud)
	return 1
}

// consumerMethods are the methods of freeswitch.EventConsumer objects.
var consumerMethods = map[string]lua.LGFunction{
	"bind":    consumerBind,
	"pop":     consumerPop,
	"cleanup": consumerCleanup,
}

// consumerMetatable returns the consumer type's metatable, made once per
// state.
func consumerMetatable(L *lua.LState) lua.LValue {
	return methodsMetatable(L, consumerTypeName, consumerMethods)
}

// checkConsumer returns the consumer a method was called on.
func checkConsumer(L *lua.LState) *fsConsumer {
	if c, ok := L.CheckUserData(1).Value.(*fsConsumer); ok {
		return c
	}
	L.ArgError(1, "EventConsumer expected")
	return nil
}

// consumerBind implements con:bind(event_name[, subclass]).
func consumerBind(L *lua.LState) int {
	c := checkConsumer(L)
	L.Push(lua.LBool(c.bind(L.CheckString(2), optStr(L, 3, ""))))
	return 1
}

// consumerCleanup implements con:cleanup(): the consumer stops queueing
// and its queued events are dropped.
func consumerCleanup(L *lua.LState) int {
	checkConsumer(L).close()
	return 0
}

// newFSConsumer subscribes a consumer with a queue of qlen events to the
// event stream of rt's node; it ends with the handler's context or the
// state.
func newFSConsumer(rt *Runtime, qlen int) (*fsConsumer, error) {
	cmd, src, err := consumerSource(rt)
	if err != nil {
		return nil, err
	}
	c := &fsConsumer{rt: rt, cmd: cmd, src: src, wire: map[string]bool{}, stop: make(chan struct{})}
	c.sub = src.Subscribe(esl.SubscribeOptions{Filter: c.wants, Queue: qlen})
	go c.closeWhenDone(rt.ctx().Done(), rt.Done())
	return c, nil
}

// closeWhenDone closes the consumer when the handler's context ends or
// the state is closed, unless cleanup came first.
func (c *fsConsumer) closeWhenDone(ctxDone <-chan struct{}, stateDone <-chan struct{}) {
	select {
	case <-ctxDone:
	case <-stateDone:
	case <-c.stop:
	}
	c.close()
}

// close ends the subscription once; events still queued are discarded.
func (c *fsConsumer) close() {
	c.once.Do(func() {
		close(c.stop)
		c.sub.Close()
	})
}

// closed reports whether the consumer was closed.
func (c *fsConsumer) closed() bool { return isClosed(c.stop) }

// consumerSource finds the Commander and the eventSource of the run's
// node: the node's inbound connection (Runtime.Nodes), or outside a call
// the run's commander; never a call's own socket, whose events belong to
// its session.
func consumerSource(rt *Runtime) (Commander, eventSource, error) {
	var cands []Commander
	if rt.scope.call == "" && rt.scope.esl != nil {
		cands = append(cands, rt.scope.esl)
	}
	if rt.Nodes != nil && rt.scope.node != "" {
		if c := rt.Nodes(rt.scope.node); c != nil {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 && rt.scope.esl == nil {
		return nil, nil, ErrNoESL
	}
	for _, c := range cands {
		if src := eventSourceOf(c); src != nil {
			return c, src, nil
		}
	}
	return nil, nil, errNoEventSource
}

// eventSourceOf returns c, or what it wraps, as an eventSource.
func eventSourceOf(c Commander) eventSource {
	for range 8 { // wrappers are shallow; bound the walk
		if src, ok := c.(eventSource); ok {
			return src
		}
		u, ok := c.(CommanderUnwrapper)
		if !ok {
			return nil
		}
		if c = u.Unwrap(); c == nil {
			return nil
		}
	}
	return nil
}
