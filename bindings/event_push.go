package bindings

import (
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// eventStateKey is the registry key of a state's *eventState.
const eventStateKey = "eslscript.event.state"

// KnownHeaders are header values of an event that its dispatcher has
// already looked up; an event object pushed with them answers reads of
// those headers without scanning the event again. An empty field means
// "not known" (the event is scanned as usual).
type KnownHeaders struct {
	// EventName is ev.Name(), when not empty.
	EventName string
	// UniqueID is the value of the Unique-ID header (ev.Lookup("Unique-ID")),
	// when present and not empty; not the Channel-Call-UUID fallback.
	UniqueID string
}

// eventState is one Lua state's event machinery: the metatables of event
// objects (built once per state and node) and the known headers of the
// event the host is handling. Only the goroutine running the state touches
// it.
type eventState struct {
	// mts holds one metatable per node name. Its __index is a table of the
	// methods plus the field "node", so a method call or ev.node costs a
	// table lookup, not a call into Go.
	mts map[string]*lua.LTable
	// strict is the metatable of those __index tables: any other field
	// raises, naming ev:get for headers.
	strict *lua.LTable
	cur    *esl.Event // the event known describes (nil: none)
	known  KnownHeaders
	// varName and varHeader cache the last ev:var name and its header name
	// ("variable_" + varName): handlers ask for the same variables.
	varName, varHeader string
}

// eventStateOf returns L's event state, building it on first use.
func eventStateOf(L *lua.LState) *eventState {
	reg := L.G.Registry
	if ud, ok := reg.RawGetString(eventStateKey).(*lua.LUserData); ok {
		if st, ok := ud.Value.(*eventState); ok {
			return st
		}
	}
	st := &eventState{mts: make(map[string]*lua.LTable, 1)}
	st.strict = L.CreateTable(0, 1)
	st.strict.RawSetString("__index", L.NewFunction(noEventField))
	ud := L.NewUserData()
	ud.Value = st
	reg.RawSetString(eventStateKey, ud)
	return st
}

// mtFor returns the metatable of the events of node, building it once.
func (st *eventState) mtFor(L *lua.LState, node string) *lua.LTable {
	if mt := st.mts[node]; mt != nil {
		return mt
	}
	mt := L.CreateTable(0, 2)
	mt.RawSetString("__index", st.methodTable(L, node))
	mt.RawSetString("__tostring", L.NewFunction(eventToString))
	st.mts[node] = mt
	return mt
}

// methodTable builds the __index table of node's events: the shared
// methods, those that consult the known headers, and the field "node".
func (st *eventState) methodTable(L *lua.LState, node string) *lua.LTable {
	idx := L.CreateTable(0, len(eventMethods)+8)
	L.SetFuncs(idx, eventMethods)
	get, name := L.NewFunction(st.get), L.NewFunction(st.name)
	idx.RawSetString("get", get)
	idx.RawSetString("getHeader", get)
	idx.RawSetString("name", name)
	idx.RawSetString("getType", name)
	idx.RawSetString("uuid", L.NewFunction(st.uuid))
	idx.RawSetString("var", L.NewFunction(st.variable))
	idx.RawSetString("node", lua.LString(node))
	idx.Metatable = st.strict
	return idx
}

// noEventField raises for a field that is neither a method nor "node".
func noEventField(L *lua.LState) int {
	L.RaiseError("event has no field %q (read headers with ev:get(name))", L.CheckString(2))
	return 0
}

// lookup is ev.Lookup(name), answered from the known headers when it can.
func (st *eventState) lookup(ev *esl.Event, name string) (string, bool) {
	if ev == st.cur {
		switch {
		case name == "Event-Name" && st.known.EventName != "":
			return st.known.EventName, true
		case name == "Unique-ID" && st.known.UniqueID != "":
			return st.known.UniqueID, true
		}
	}
	return ev.Lookup(name)
}

// pushLookup pushes a header's value, or nil when absent.
func (st *eventState) pushLookup(L *lua.LState, ev *esl.Event, name string) int {
	if v, ok := st.lookup(ev, name); ok {
		L.Push(lua.LString(v))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// get is ev:get(name).
func (st *eventState) get(L *lua.LState) int {
	return st.pushLookup(L, checkEvent(L, 1), L.CheckString(2))
}

// variable is ev:var(name): header variable_<name>.
func (st *eventState) variable(L *lua.LState) int {
	ev, name := checkEvent(L, 1), L.CheckString(2)
	if name != st.varName {
		st.varName, st.varHeader = name, "variable_"+name
	}
	return pushLookup(L, ev, st.varHeader)
}

// name is ev:name() (Event-Name, "" when absent).
func (st *eventState) name(L *lua.LState) int {
	v, _ := st.lookup(checkEvent(L, 1), "Event-Name")
	L.Push(lua.LString(v))
	return 1
}

// uuid is ev:uuid() (Unique-ID, else Channel-Call-UUID).
func (st *eventState) uuid(L *lua.LState) int {
	ev := checkEvent(L, 1)
	if v, _ := st.lookup(ev, "Unique-ID"); v != "" {
		L.Push(lua.LString(v))
		return 1
	}
	L.Push(lua.LString(ev.UniqueID()))
	return 1
}

// EventPusher wraps events as Lua event objects in one state, faster than
// pushEvent when the same state handles many events: the metatable is
// resolved once, and headers the caller already looked up are not
// scanned again. Like the state, it must be used by one goroutine only.
type EventPusher struct {
	L  *lua.LState
	st *eventState
}

// NewEventPusher returns the pusher of L's event objects.
func NewEventPusher(L *lua.LState) *EventPusher {
	return &EventPusher{L: L, st: eventStateOf(L)}
}

// Push wraps ev like pushEvent; known must hold ev's own header values
// (see KnownHeaders). They are used until Forget or the next Push, so a
// handler reading the event later (it kept the object) still gets ev's
// values: known headers are a property of ev, which is immutable.
func (p *EventPusher) Push(ev *esl.Event, known KnownHeaders) lua.LValue {
	p.st.cur, p.st.known = ev, known
	return newEventValue(p.L, ev, p.st.mtFor(p.L, ev.Node))
}

// Forget drops the known headers (and the reference to their event), so
// an idle state does not keep the last event alive.
func (p *EventPusher) Forget() {
	p.st.cur, p.st.known = nil, KnownHeaders{}
}
