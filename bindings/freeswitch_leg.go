package bindings

import (
	"context"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

const legTypeName = "eslscript.session.leg"

// legMetatable is the metatable of leg session objects: every session
// method, with setAutoHangup and destroy acting on the leg.
func legMetatable(L *lua.LState) *lua.LTable {
	if mt, ok := L.G.Registry.RawGetString(legTypeName).(*lua.LTable); ok {
		return mt
	}
	methods := L.SetFuncs(L.CreateTable(0, 2), map[string]lua.LGFunction{
		"setAutoHangup": legSetAutoHangup,
		"destroy":       legDestroy,
		"originate":     legOriginate,
	})
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__index", L.NewClosure(legIndex, methods))
	L.G.Registry.RawSetString(legTypeName, mt)
	return mt
}

// legIndex resolves the leg methods, then defers to the session's.
func legIndex(L *lua.LState) int {
	key := L.CheckString(2)
	if fn := L.Get(lua.UpvalueIndex(1)).(*lua.LTable).RawGetString(key); fn != lua.LNil {
		L.Push(fn)
		return 1
	}
	L.Push(sessionMetatable(L).RawGetString("__index"))
	L.Push(L.Get(1))
	L.Push(lua.LString(key))
	L.Call(2, 1)
	return 1
}

// checkLeg returns the leg a method was called on (nil once the Runtime's End
// forgot it).
func checkLeg(L *lua.LState) *leg {
	ls := checkSession(L)
	if set := legSetOf(L); set != nil {
		return set.find(ls)
	}
	return nil
}

// legSetAutoHangup implements leg:setAutoHangup(bool): whether the leg is
// hung up when the script's call ends (originated legs: true).
func legSetAutoHangup(L *lua.LState) int {
	if lg := checkLeg(L); lg != nil {
		lg.autoHangup = L.ToBool(2)
	}
	return 0
}

// legDestroy implements leg:destroy([err]): like mod_lua it hangs up an
// originated leg still up (unless setAutoHangup(false)) and lets it go;
// with err it then raises err.
func legDestroy(L *lua.LState) int {
	if lg := checkLeg(L); lg != nil {
		lg.close(true)
	}
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		L.RaiseError("%s", L.ToStringMeta(L.Get(2)).String())
	}
	return 0
}

// deadCall is the Call of a leg that failed to originate or attach: down
// from the start, with the cause.
type deadCall struct {
	cause  string
	closed chan struct{}
	events chan *esl.Event
}

func newDeadCall(cause string) deadCall {
	d := deadCall{cause: cause, closed: make(chan struct{}), events: make(chan *esl.Event)}
	close(d.closed)
	close(d.events)
	return d
}

func (d deadCall) UUID() string              { return "" }
func (d deadCall) ChannelData() *esl.Event   { return nil }
func (d deadCall) Events() <-chan *esl.Event { return d.events }
func (d deadCall) HungUp() <-chan struct{}   { return d.closed }
func (d deadCall) HangupCause() string       { return d.cause }
func (d deadCall) API(context.Context, string) (string, error) {
	return "", esl.ErrHangup
}
func (d deadCall) Execute(context.Context, string, string) (*esl.Event, error) {
	return nil, esl.ErrHangup
}

// Interface guard.
var _ Call = deadCall{}
