package bindings

import (
	"context"
	"sync"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Call is the outbound call a session object drives. *esl.Session
// satisfies it through WrapSession; tests use fakes.
type Call interface {
	// UUID is the call's Unique-ID.
	UUID() string
	// ChannelData is the CHANNEL_DATA of the connect reply (may be nil).
	ChannelData() *esl.Event
	// Execute runs an application with event-lock and returns its
	// CHANNEL_EXECUTE_COMPLETE event; it fails with an error wrapping
	// esl.ErrHangup or esl.ErrConnLost once the call or socket is gone.
	Execute(ctx context.Context, app, arg string) (*esl.Event, error)
	// API runs an api command on the call's socket.
	API(ctx context.Context, cmd string) (string, error)
	// Events delivers the call's events in order; closed at socket end.
	Events() <-chan *esl.Event
	// HungUp is closed when the call hangs up or the socket ends.
	HungUp() <-chan struct{}
	// HangupCause is the Hangup-Cause once known.
	HangupCause() string
}

// WrapSession adapts an *esl.Session to Call. Its commands (api, and the
// sendmsg of each execute) go through cmd, which must send on s's own
// connection (the host passes s.Conn wrapped to time commands); nil
// means s.Conn.
func WrapSession(s *esl.Session, cmd Commander) Call {
	if cmd == nil {
		cmd = s.Conn
	}
	return sessionCall{s, cmd}
}

type sessionCall struct {
	s   *esl.Session
	cmd Commander
}

func (c sessionCall) UUID() string            { return c.s.UUID() }
func (c sessionCall) ChannelData() *esl.Event { return c.s.Data }
func (c sessionCall) Events() <-chan *esl.Event {
	return c.s.Events()
}
func (c sessionCall) HungUp() <-chan struct{} { return c.s.HungUp() }
func (c sessionCall) HangupCause() string     { return c.s.HangupCause() }
func (c sessionCall) API(ctx context.Context, cmd string) (string, error) {
	return c.cmd.API(ctx, cmd)
}
func (c sessionCall) Execute(ctx context.Context, app, arg string) (*esl.Event, error) {
	return c.s.ExecuteVia(ctx, c.cmd.Send, app, arg)
}

const sessionTypeName = "eslscript.session"

// NewSession returns the Lua session object for call. It speaks mod_lua's
// method names and argument order (session:answer(), streamFile,
// playAndGetDigits, getVariable...). Blocking methods wait on their result,
// the call's hangup, the handler's context and the state's loop
// callbacks. After the hangup (or the socket's end) every call fails at
// once with nil, "hangup" and ready() is false; after transfer() ready()
// is false and media calls fail with nil, "transferred".
func NewSession(L *lua.LState, rt *Runtime, call Call) lua.LValue {
	s := newLuaSession(rt, call)
	ud := L.NewUserData()
	ud.Value = s
	ud.Metatable = sessionMetatable(L)
	s.self = ud
	return ud
}

// HangupCause returns the hangup cause of a session object's call once it
// is known to have hung up (the events already received are read first):
// FreeSWITCH's Hangup-Cause, else the cause the script hung up with; ""
// while the call is up as far as the session knows, or for another value.
// Call it from the goroutine that owns the session's state.
func HangupCause(v lua.LValue) string {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return ""
	}
	s, ok := ud.Value.(*luaSession)
	if !ok {
		return ""
	}
	s.pump()
	s.checkHangup()
	if !s.down {
		return ""
	}
	if c := s.call.HangupCause(); c != "" {
		return c
	}
	return s.cause
}

// sessionMetatable returns the state's session metatable, built once. Its
// __index holds a per-state cache of method functions, filled on first
// use from the shared Go table: a call that uses three methods costs three
// functions, not one per method.
// (Same registry entry as L.NewTypeMetatable, but small tables: NewTable
// preallocates about 2 KiB.)
func sessionMetatable(L *lua.LState) *lua.LTable {
	if mt, ok := L.G.Registry.RawGetString(sessionTypeName).(*lua.LTable); ok {
		return mt
	}
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__index", L.NewClosure(sessionIndex, L.CreateTable(0, 4)))
	L.G.Registry.RawSetString(sessionTypeName, mt)
	return mt
}

// sessionIndex resolves methods and the uuid and cause fields (uuid is
// nil for a session that is no call, as mod_lua's NULL field).
func sessionIndex(L *lua.LState) int {
	s := checkSession(L)
	switch key := L.CheckString(2); key {
	case "uuid":
		if s.uuid == "" {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(lua.LString(s.uuid))
	case "cause":
		L.Push(lua.LString(s.hangupCause()))
	default:
		L.Push(sessionMethod(L, L.Get(lua.UpvalueIndex(1)).(*lua.LTable), key))
	}
	return 1
}

// sessionMethod returns the state's function for a method name (nil for
// an unknown name), creating it in cache on first use.
func sessionMethod(L *lua.LState, cache *lua.LTable, name string) lua.LValue {
	if fn := cache.RawGetString(name); fn != lua.LNil {
		return fn
	}
	g, ok := sessionMethods()[name]
	if !ok {
		return lua.LNil
	}
	fn := L.NewFunction(g)
	cache.RawSetString(name, fn)
	return fn
}

func checkSession(L *lua.LState) *luaSession {
	if s, ok := L.CheckUserData(1).Value.(*luaSession); ok {
		return s
	}
	L.ArgError(1, "session expected")
	return nil
}

// method adapts a session method to an LGFunction.
func method(fn func(s *luaSession, L *lua.LState) int) lua.LGFunction {
	return func(L *lua.LState) int { return fn(checkSession(L), L) }
}

// sessionMethods lists every session method by its Lua name (built once,
// shared by every state: Go functions only, never exposed to Lua as is).
var sessionMethods = sync.OnceValue(func() map[string]lua.LGFunction {
	m := map[string]lua.LGFunction{}
	for _, group := range []map[string]func(*luaSession, *lua.LState) int{
		stateMethods, mediaMethods, digitMethods, varMethods, hookMethods, inputMethods, moreMethods,
	} {
		for name, fn := range group {
			if hookedMethods[name] {
				m[name] = hooked(fn)
			} else {
				m[name] = method(fn)
			}
		}
	}
	for name, why := range sessionUnsupported {
		m[name] = method(unsupportedMethod(name, why))
	}
	return m
})

// Interface guard.
var _ Call = sessionCall{}
