package bindings

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The log module writes to the host's slog logger.
//
//	log.debug(msg[, ...][, fields])
//	log.info / log.warn / log.error
//
// Every line carries the attributes script, call (when a call is being
// handled) and node (when known), then the fields table's entries in
// sorted key order; a field named time, level, msg, source, script, call
// or node is written as "field.<name>". Extra non-table arguments are appended to msg with
// tostring, so log.warn("answer failed: ", err) reads naturally.
func openLog(L *lua.LState, rt *Runtime) *lua.LTable {
	mod := L.CreateTable(0, 4)
	for name, lvl := range map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo,
		"warn": slog.LevelWarn, "error": slog.LevelError,
	} {
		mod.RawSetString(name, L.NewFunction(logFunc(rt, lvl)))
	}
	return mod
}

// logFunc builds the Lua function for one level.
func logFunc(rt *Runtime, lvl slog.Level) lua.LGFunction {
	return func(L *lua.LState) int {
		lg := rt.logger()
		ctx := context.Background()
		if !lg.Enabled(ctx, lvl) {
			return 0
		}
		msg, fields := logArgs(L)
		attrs := runAttrs(rt.Script, rt.scope, make([]slog.Attr, 0, 3+fieldCount(fields)))
		attrs = appendFields(L, attrs, fields)
		lg.LogAttrs(ctx, lvl, msg, attrs...)
		return 0
	}
}

// logArgs reads the message (plus appended extra arguments) and the
// optional fields table.
func logArgs(L *lua.LState) (string, *lua.LTable) {
	msg := L.CheckString(1)
	top := L.GetTop()
	var fields *lua.LTable
	if t, ok := L.Get(top).(*lua.LTable); ok && top > 1 {
		fields = t
		top--
	}
	if top <= 1 {
		return msg, fields
	}
	var b strings.Builder
	b.WriteString(msg)
	for i := 2; i <= top; i++ {
		b.WriteString(L.ToStringMeta(L.Get(i)).String())
	}
	return b.String(), fields
}

// runAttrs appends the script's name and the call and node of sc.
func runAttrs(script string, sc Scope, attrs []slog.Attr) []slog.Attr {
	attrs = append(attrs, slog.String("script", script))
	if sc.call != "" {
		attrs = append(attrs, slog.String("call", sc.call))
	}
	if sc.node != "" {
		attrs = append(attrs, slog.String("node", sc.node))
	}
	return attrs
}

func fieldCount(t *lua.LTable) int {
	if t == nil {
		return 0
	}
	n := 0
	t.ForEach(func(lua.LValue, lua.LValue) { n++ })
	return n
}

// reservedLogKeys are the keys a line has before the script's fields:
// slog's own and those of runAttrs.
var reservedLogKeys = map[string]bool{slog.TimeKey: true, slog.LevelKey: true, slog.MessageKey: true,
	slog.SourceKey: true, "script": true, "call": true, "node": true}

// appendFields appends a table's entries as attributes, keys sorted. A
// field named like a reserved key is renamed "field.<name>" (prefixed
// again while another field has that name), so a key never repeats.
func appendFields(L *lua.LState, attrs []slog.Attr, t *lua.LTable) []slog.Attr {
	if t == nil {
		return attrs
	}
	start := len(attrs)
	poll := newPoller(L)
	t.ForEach(func(k, v lua.LValue) {
		poll.tick(1)
		attrs = append(attrs, slog.Attr{Key: lua.LVAsString(k), Value: logValue(L, v)})
	})
	fields := attrs[start:]
	for i := range fields {
		if reservedLogKeys[fields[i].Key] {
			fields[i].Key = freeFieldKey(fields, fields[i].Key)
		}
	}
	slices.SortFunc(fields, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	return attrs
}

// freeFieldKey prefixes key with "field." until no field has that name.
func freeFieldKey(fields []slog.Attr, key string) string {
	for {
		key = "field." + key
		if !slices.ContainsFunc(fields, func(a slog.Attr) bool { return a.Key == key }) {
			return key
		}
	}
}

// logValue converts a Lua value to a slog value: integers stay integers,
// tables become their JSON text (as json.encode writes it, within L's
// string limit and budget; else their tostring).
func logValue(L *lua.LState, v lua.LValue) slog.Value {
	switch x := v.(type) {
	case lua.LString:
		return slog.StringValue(string(x))
	case lua.LNumber:
		f := float64(x)
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return slog.Int64Value(int64(f))
		}
		return slog.Float64Value(f)
	case lua.LBool:
		return slog.BoolValue(bool(x))
	case *lua.LTable:
		if b, err := encodeJSON(L, x); err == nil {
			return slog.StringValue(string(b))
		}
	}
	return slog.StringValue(v.String())
}
