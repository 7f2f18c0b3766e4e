package bindings

import (
	"log/slog"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

const fsEventTypeName = "eslscript.freeswitch.Event"

// fsEvent is an event a script builds with freeswitch.Event and fires
// with sendevent. Headers keep their insertion order.
type fsEvent struct {
	rt       *Runtime
	name     string
	subclass string
	headers  []esl.MsgHeader
	body     string
	hasBody  bool
}

// fsNewEvent implements freeswitch.Event(type[, subclass]). The type is
// case-insensitive, may carry the SWITCH_EVENT_ prefix, and an unknown
// name gives MESSAGE; a subclass forces CUSTOM. As in FreeSWITCH the new
// event has an Event-Name header (and Event-Subclass).
func fsNewEvent(L *lua.LState, rt *Runtime) int {
	typ, sub := L.CheckString(1), optStr(L, 2, "")
	if strings.EqualFold(typ, "json") {
		L.RaiseError("freeswitch.Event(\"json\", ...) is not supported by eslscript: build the event with addHeader")
	}
	e := &fsEvent{rt: rt, name: fsEventName(typ), subclass: sub}
	if sub != "" {
		e.name = "CUSTOM"
	}
	e.add("Event-Name", e.name)
	if sub != "" {
		e.add("Event-Subclass", sub)
	}
	ud := L.NewUserData()
	ud.Value = e
	L.SetMetatable(ud, fsEventMetatable(L))
	L.Push(ud)
	return 1
}

// fsEventName normalises an event type name; unknown names are MESSAGE.
func fsEventName(typ string) string {
	n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(typ)), "SWITCH_EVENT_")
	if esl.IsEventName(n) {
		return n
	}
	return "MESSAGE"
}

// fsEventMethods are the methods of freeswitch.Event objects.
var fsEventMethods = map[string]lua.LGFunction{
	"addHeader": fsEvAddHeader,
	"delHeader": fsEvDelHeader,
	"getHeader": fsEvGetHeader,
	"addBody":   fsEvAddBody,
	"getBody":   fsEvGetBody,
	"getType":   fsEvGetType,
	"serialize": fsEvSerialize,
	"fire":      fsEvFire,
}

// fsEventMetatable returns the Event type's metatable, made once per state.
func fsEventMetatable(L *lua.LState) lua.LValue {
	return methodsMetatable(L, fsEventTypeName, fsEventMethods)
}

// checkFSEvent returns the Event object a method was called on.
func checkFSEvent(L *lua.LState) *fsEvent {
	if e, ok := L.CheckUserData(1).Value.(*fsEvent); ok {
		return e
	}
	L.ArgError(1, "freeswitch.Event object expected (call it as event:method(...))")
	return nil
}

// add appends a header (an empty value deletes it, as in FreeSWITCH).
func (e *fsEvent) add(name, value string) {
	if value == "" {
		e.del(name)
		return
	}
	e.headers = append(e.headers, esl.MsgHeader{Name: name, Value: value})
}

// del removes every header called name (any case); it reports whether
// one was there.
func (e *fsEvent) del(name string) bool {
	n := len(e.headers)
	kept := e.headers[:0]
	for _, h := range e.headers {
		if !strings.EqualFold(h.Name, name) {
			kept = append(kept, h)
		}
	}
	e.headers = kept
	return len(kept) < n
}

// get returns the first header called name (any case).
func (e *fsEvent) get(name string) (string, bool) {
	if name == "_body" {
		return e.body, e.hasBody
	}
	for _, h := range e.headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func fsEvAddHeader(L *lua.LState) int {
	e := checkFSEvent(L)
	e.add(L.CheckString(2), optStr(L, 3, ""))
	L.Push(lua.LTrue)
	return 1
}

func fsEvDelHeader(L *lua.LState) int {
	e := checkFSEvent(L)
	L.Push(lua.LBool(e.del(L.CheckString(2))))
	return 1
}

func fsEvGetHeader(L *lua.LState) int {
	e := checkFSEvent(L)
	v, ok := e.get(L.CheckString(2))
	L.Push(optLString(v, ok))
	return 1
}

func fsEvAddBody(L *lua.LState) int {
	e := checkFSEvent(L)
	e.body, e.hasBody = optStr(L, 2, ""), true
	L.Push(lua.LTrue)
	return 1
}

func fsEvGetBody(L *lua.LState) int {
	e := checkFSEvent(L)
	L.Push(optLString(e.body, e.hasBody))
	return 1
}

func fsEvGetType(L *lua.LState) int {
	L.Push(lua.LString(checkFSEvent(L).name))
	return 1
}

// optLString is s, or nil when ok is false.
func optLString(s string, ok bool) lua.LValue {
	if !ok {
		return lua.LNil
	}
	return lua.LString(s)
}

// fsEvFire implements event:fire(): sendevent with the event's headers
// and body; it returns true, or false (and logs why) when FreeSWITCH
// refused or no connection exists. The event can be fired again.
func fsEvFire(L *lua.LState) int {
	e := checkFSEvent(L)
	if e.rt.scope.esl == nil {
		fsLog(e.rt, e.rt.scope, slog.LevelWarn, "freeswitch: event:fire(): "+ErrNoESL.Error(), "warning")
		L.Push(lua.LFalse)
		return 1
	}
	if _, err := e.rt.scope.esl.Send(e.rt.ctx(), e.sendEvent()); err != nil {
		fsLog(e.rt, e.rt.scope, slog.LevelWarn, "freeswitch: event:fire() failed: "+errText(err), "warning")
		L.Push(lua.LFalse)
		return 1
	}
	L.Push(lua.LTrue)
	return 1
}

// sendEvent is the sendevent command for e: the event's headers but for
// Event-Name and Event-Subclass, which the command line carries.
func (e *fsEvent) sendEvent() esl.SendEvent {
	var hs []esl.MsgHeader
	for _, h := range e.headers {
		if !strings.EqualFold(h.Name, "Event-Name") && !strings.EqualFold(h.Name, "Event-Subclass") {
			hs = append(hs, h)
		}
	}
	return esl.SendEvent{Name: e.name, Subclass: e.subclass, Headers: hs, Body: e.body}
}
