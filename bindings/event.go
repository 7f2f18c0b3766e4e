package bindings

import (
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// pushEvent wraps ev as a Lua event object (it does not push it on the
// stack). Methods:
//
//	ev:get(name) -> value | nil        (decoded; nil when absent)
//	ev:var(name) -> value | nil        (variable_<name>)
//	ev:values(name) -> {v1, v2, ...}   (every value of a repeated header)
//	ev:array(name) -> {a, b, ...}      (items of an ARRAY::a|:b value)
//	ev:body() / ev:name() / ev:subclass() / ev:uuid()
//	ev:headers() -> {{name, value}, ...}
//	ev:serialize([fmt]) -> text        ("plain" (default), "json", "xml")
//	ev:json() -> table                 (the JSON form decoded)
//	ev.node                            (the FreeSWITCH node)
//
// mod_lua's getHeader, getBody, getType are aliases. Any other field
// raises: headers are read with ev:get(name), so that a method call costs
// a table lookup rather than a call into Go.
func pushEvent(L *lua.LState, ev *esl.Event) lua.LValue {
	return newEventValue(L, ev, eventStateOf(L).mtFor(L, ev.Node))
}

// newEventValue wraps ev as an event object with metatable mt.
func newEventValue(L *lua.LState, ev *esl.Event, mt *lua.LTable) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = ev
	ud.Metatable = mt
	return ud
}

var eventMethods = map[string]lua.LGFunction{
	"values":    eventValues,
	"array":     eventArray,
	"body":      eventBody,
	"getBody":   eventBody,
	"subclass":  eventSubclass,
	"headers":   eventHeaders,
	"serialize": eventSerialize,
	"json":      eventJSON,
}

// checkEvent returns the event at stack index n or raises.
func checkEvent(L *lua.LState, n int) *esl.Event {
	if ev, ok := L.CheckUserData(n).Value.(*esl.Event); ok {
		return ev
	}
	L.ArgError(n, "event expected")
	return nil
}

// pushLookup pushes a header's value, or nil when absent.
func pushLookup(L *lua.LState, ev *esl.Event, name string) int {
	if v, ok := ev.Lookup(name); ok {
		L.Push(lua.LString(v))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

func eventValues(L *lua.LState) int {
	L.Push(stringList(L, checkEvent(L, 1).Values(L.CheckString(2))))
	return 1
}

func eventArray(L *lua.LState) int {
	L.Push(stringList(L, checkEvent(L, 1).Array(L.CheckString(2))))
	return 1
}

// stringList makes a Lua array of strings.
func stringList(L *lua.LState, items []string) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for _, s := range items {
		t.Append(lua.LString(s))
	}
	return t
}

func eventBody(L *lua.LState) int {
	L.Push(lua.LString(checkEvent(L, 1).Body()))
	return 1
}

func eventSubclass(L *lua.LState) int {
	L.Push(lua.LString(checkEvent(L, 1).Subclass()))
	return 1
}

func eventHeaders(L *lua.LState) int {
	ev := checkEvent(L, 1)
	t := L.CreateTable(ev.Len(), 0)
	ev.Range(func(name, value string) bool {
		pair := L.CreateTable(2, 0)
		pair.Append(lua.LString(name))
		pair.Append(lua.LString(value))
		t.Append(pair)
		return true
	})
	L.Push(t)
	return 1
}

func eventSerialize(L *lua.LState) int {
	ev := checkEvent(L, 1)
	var b []byte
	switch f := optStr(L, 2, "plain"); f {
	case "plain", "":
		b = ev.AppendPlain(nil)
	case "json":
		b = ev.AppendJSON(nil)
	case "xml":
		b = ev.AppendXML(nil)
	default:
		L.ArgError(2, "format must be plain, json or xml")
	}
	L.Push(lua.LString(b))
	return 1
}

func eventJSON(L *lua.LState) int {
	v, err := decodeJSON(L, string(checkEvent(L, 1).AppendJSON(nil)))
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(v)
	return 1
}

func eventToString(L *lua.LState) int {
	ev := checkEvent(L, 1)
	L.Push(lua.LString("event: " + ev.Name()))
	return 1
}
