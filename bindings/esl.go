package bindings

import (
	"errors"
	"slices"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// ErrNoESL is the runtime failure of esl functions without a connection.
var ErrNoESL = errors.New("bindings: esl: no FreeSWITCH connection")

// The esl module sends commands to FreeSWITCH through the run's commander (the node of
// the event or call being handled):
//
//	esl.api(cmd) -> output | nil, err
//	esl.bgapi(cmd[, fn]) -> job | nil, err      job.uuid, job:wait([ms])
//	esl.execute(uuid, app[, arg]) -> app_uuid | nil, err
//	esl.sendmsg(uuid, headers[, body]) -> true | nil, err
//	esl.sendevent(name, headers[, body]) -> event_uuid | nil, err
//	esl.fire(subclass, headers[, body]) -> event_uuid | nil, err
//	esl.originate(dial, dest[, opts]) -> uuid | nil, cause
//	esl.hangup(uuid[, cause]) -> true | nil, err
//	esl.node(name) -> a table with the same functions for that node
//
// A FreeSWITCH "-ERR text" fails with "text" alone (e.g.
// "NO_ROUTE_DESTINATION"); transport errors fail with their message.
func openESL(L *lua.LState, rt *Runtime) *lua.LTable {
	ensureJobType(L)
	mod := eslTable(L, rt, func() Commander { return rt.scope.esl })
	mod.RawSetString("node", L.NewFunction(func(L *lua.LState) int {
		return eslNode(L, rt)
	}))
	return mod
}

// eslTable builds the function table bound to one commander source.
func eslTable(L *lua.LState, rt *Runtime, get func() Commander) *lua.LTable {
	c := eslCtx{rt: rt, get: get}
	return funcTable(L, map[string]lua.LGFunction{
		"api":       c.api,
		"bgapi":     c.bgapi,
		"execute":   c.execute,
		"sendmsg":   c.sendmsg,
		"sendevent": c.sendevent,
		"fire":      c.fire,
		"originate": c.originate,
		"hangup":    c.hangup,
	})
}

// eslNode implements esl.node(name).
func eslNode(L *lua.LState, rt *Runtime) int {
	name := L.CheckString(1)
	if rt.Nodes == nil || rt.Nodes(name) == nil {
		return failure(L, "bindings: esl: unknown node "+name)
	}
	L.Push(eslTable(L, rt, func() Commander { return rt.Nodes(name) }))
	return 1
}

// eslCtx is what each esl function closes over.
type eslCtx struct {
	rt  *Runtime
	get func() Commander
}

// commander returns the connection or pushes the no-connection failure.
func (c eslCtx) commander(L *lua.LState) (Commander, bool) {
	if cmd := c.get(); cmd != nil {
		return cmd, true
	}
	failure(L, ErrNoESL.Error())
	return nil, false
}

// errText is the Lua-facing text of an error: FreeSWITCH's own words for
// a -ERR, the error message otherwise.
func errText(err error) string {
	var ce *esl.CommandError
	if errors.As(err, &ce) {
		return ce.Text
	}
	return err.Error()
}

func (c eslCtx) api(L *lua.LState) int {
	cmd := L.CheckString(1)
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	out, err := conn.API(c.rt.ctx(), cmd)
	if err != nil {
		return failure(L, errText(err))
	}
	L.Push(lua.LString(out))
	return 1
}

func (c eslCtx) execute(L *lua.LState) int {
	uuid, app, arg := L.CheckString(1), L.CheckString(2), optStr(L, 3, "")
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	cmd := esl.NewExecute(uuid, app, arg)
	if _, err := conn.Send(c.rt.ctx(), cmd); err != nil {
		return failure(L, errText(err))
	}
	L.Push(lua.LString(cmd.EventUUID))
	return 1
}

func (c eslCtx) sendmsg(L *lua.LState) int {
	uuid, hdrs, body := L.CheckString(1), L.CheckTable(2), optStr(L, 3, "")
	headers := msgHeaders(L, hdrs)
	cc := ""
	if i := slices.IndexFunc(headers, func(h esl.MsgHeader) bool {
		return strings.EqualFold(h.Name, "call-command")
	}); i >= 0 {
		cc = headers[i].Value
		headers = slices.Delete(headers, i, i+1)
	}
	return c.send(L, esl.SendMsg{UUID: uuid, CallCommand: cc, Headers: headers, Body: body}, false)
}

func (c eslCtx) sendevent(L *lua.LState) int {
	name := L.CheckString(1)
	ev := esl.SendEvent{Name: name, Headers: optHeaders(L, 2), Body: optStr(L, 3, "")}
	return c.send(L, ev, true)
}

func (c eslCtx) fire(L *lua.LState) int {
	sub := L.CheckString(1)
	ev := esl.SendEvent{Name: "CUSTOM", Subclass: sub, Headers: optHeaders(L, 2), Body: optStr(L, 3, "")}
	return c.send(L, ev, true)
}

// send sends a command; withID returns the id after "+OK " (the
// Event-UUID of a sendevent) instead of true.
func (c eslCtx) send(L *lua.LState, cmd esl.Command, withID bool) int {
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	r, err := conn.Send(c.rt.ctx(), cmd)
	if err != nil {
		return failure(L, errText(err))
	}
	if id, found := strings.CutPrefix(r.Text, "+OK "); withID && found && id != "" {
		L.Push(lua.LString(strings.TrimSpace(id)))
		return 1
	}
	L.Push(lua.LTrue)
	return 1
}

func (c eslCtx) hangup(L *lua.LState) int {
	uuid, cause := L.CheckString(1), optStr(L, 2, "")
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	if _, err := conn.API(c.rt.ctx(), joinWords("uuid_kill", uuid, cause)); err != nil {
		return failure(L, errText(err))
	}
	L.Push(lua.LTrue)
	return 1
}

// joinWords joins the non-empty words with spaces.
func joinWords(words ...string) string {
	return strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "" }), " ")
}

// optHeaders reads an optional headers table.
func optHeaders(L *lua.LState, n int) []esl.MsgHeader {
	if L.Get(n) == lua.LNil {
		return nil
	}
	return msgHeaders(L, L.CheckTable(n))
}

// msgHeaders turns {name = value | {v1, v2}} into headers sorted by name;
// an array value gives one header per item, in order.
func msgHeaders(L *lua.LState, t *lua.LTable) []esl.MsgHeader {
	var hs []esl.MsgHeader
	t.ForEach(func(k, v lua.LValue) {
		name := lua.LVAsString(k)
		if arr, ok := v.(*lua.LTable); ok {
			for i := 1; i <= arr.Len(); i++ {
				hs = append(hs, esl.MsgHeader{Name: name, Value: headerValue(L, arr.RawGetInt(i))})
			}
			return
		}
		hs = append(hs, esl.MsgHeader{Name: name, Value: headerValue(L, v)})
	})
	slices.SortStableFunc(hs, func(a, b esl.MsgHeader) int { return strings.Compare(a.Name, b.Name) })
	return hs
}

// headerValue converts a header value: strings, numbers and booleans.
func headerValue(L *lua.LState, v lua.LValue) string {
	switch v.(type) {
	case lua.LString, lua.LNumber, lua.LBool:
		return v.String()
	}
	L.RaiseError("bindings: esl: header value must be a string, number or boolean, got %s", v.Type())
	return ""
}

// Interface guards: both inbound clients and outbound sockets send commands.
var (
	_ Commander = (*esl.Client)(nil)
	_ Commander = (*esl.Conn)(nil)
)
