package bindings

import lua "github.com/yuin/gopher-lua"

// scope is the part of an Env that belongs to the run in progress: the
// node, the call and the commander the host set for the handler running
// now. A deferred callback (timer, bgapi callback) runs under the scope
// of the run that scheduled it, never under whichever run came last.
type scope struct {
	node, call string
	esl        Commander
}

// current returns the scope of the run in progress.
func (e *Env) current() scope { return scope{node: e.Node, call: e.CallUUID, esl: e.ESL} }

// enter makes sc the scope of the run in progress.
func (e *Env) enter(sc scope) { e.Node, e.CallUUID, e.ESL = sc.node, sc.call, sc.esl }

// postIn posts fn to the state's loop to run under sc (captured on the
// state's goroutine when the callback was scheduled), restoring the
// running scope afterwards. It reports false when the loop is gone (the
// state was closed).
func (e *Env) postIn(sc scope, fn func(L *lua.LState)) bool {
	return e.Loop.Post(func(L *lua.LState) {
		prev := e.current()
		e.enter(sc)
		defer e.enter(prev)
		fn(L)
	})
}
