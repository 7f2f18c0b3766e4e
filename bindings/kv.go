package bindings

import (
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// errNoKV is the runtime failure of kv functions when the host gave no store.
var errNoKV = errors.New("bindings: kv: no store")

// The kv module: shared values with optional expiry, in the process
// (MemoryKV) or in a store shared between processes (a networked KV).
//
//	kv.get(key) -> string | nil  (nil, err on a store failure)
//	kv.set(key, value[, ttl_ms]) -> true | nil, err     (value nil deletes)
//	kv.del(key) -> true | nil, err
//	kv.incr(key[, delta=1[, ttl_ms]]) -> number | nil, err
//	kv.keys(prefix) -> array of keys, sorted | nil, err
//
// Values are strings: get returns what set stored as a string (numbers in
// their Lua string form; use tonumber), incr returns a number. Other value
// types (tables, booleans, functions) raise: encode them with json.encode
// first. set replaces the value and the expiry (a ttl of 0 or none: no
// expiry), like Redis's SET. incr keeps the key's expiry, like INCRBY; its
// ttl only gives an expiry to a key that has none (a new key, or one set
// without a ttl), like EXPIRE NX: a fixed window from the first increment
// that later increments do not re-arm. Every call is bounded by the handler's context
// (and by the store's own timeout): a store that is down or slow makes the
// call return nil, err, never hang.
func openKV(L *lua.LState, rt *Runtime) *lua.LTable {
	return funcTable(L, map[string]lua.LGFunction{
		"get":  func(L *lua.LState) int { return kvGet(L, rt) },
		"set":  func(L *lua.LState) int { return kvSet(L, rt) },
		"del":  func(L *lua.LState) int { return kvDel(L, rt) },
		"incr": func(L *lua.LState) int { return kvIncr(L, rt) },
		"keys": func(L *lua.LState) int { return kvKeys(L, rt) },
	})
}

func kvGet(L *lua.LState, rt *Runtime) int {
	key := L.CheckString(1)
	if rt.KV == nil {
		return failure(L, errNoKV.Error())
	}
	v, ok, err := rt.KV.GetContext(rt.ctx(), key)
	switch {
	case err != nil:
		return failure(L, err.Error())
	case ok:
		L.Push(lua.LString(v))
	default:
		L.Push(lua.LNil)
	}
	return 1
}

func kvSet(L *lua.LState, rt *Runtime) int {
	key := L.CheckString(1)
	v := L.Get(2)
	ttl := optTTL(L, 3)
	if v == lua.LNil {
		return kvDel(L, rt)
	}
	if !lua.LVCanConvToString(v) {
		L.ArgError(2, "string or number expected (json.encode tables)")
	}
	if rt.KV == nil {
		return failure(L, errNoKV.Error())
	}
	return kvDone(L, rt.KV.SetContext(rt.ctx(), key, lua.LVAsString(v), ttl))
}

func kvDel(L *lua.LState, rt *Runtime) int {
	key := L.CheckString(1)
	if rt.KV == nil {
		return failure(L, errNoKV.Error())
	}
	return kvDone(L, rt.KV.DeleteContext(rt.ctx(), key))
}

// kvDone pushes true, or nil, err when err is set.
func kvDone(L *lua.LState, err error) int {
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(lua.LTrue)
	return 1
}

func kvIncr(L *lua.LState, rt *Runtime) int {
	key := L.CheckString(1)
	delta := optInt(L, 2, 1)
	ttl := optTTL(L, 3)
	if rt.KV == nil {
		return failure(L, errNoKV.Error())
	}
	n, err := rt.KV.IncrContext(rt.ctx(), key, int64(delta), ttl)
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(lua.LNumber(n))
	return 1
}

func kvKeys(L *lua.LState, rt *Runtime) int {
	prefix := optStr(L, 1, "")
	if rt.KV == nil {
		return failure(L, errNoKV.Error())
	}
	keys, err := rt.KV.KeysContext(rt.ctx(), prefix)
	if err != nil {
		return failure(L, err.Error())
	}
	t := L.CreateTable(len(keys), 0)
	for _, k := range keys {
		t.Append(lua.LString(k))
	}
	L.Push(t)
	return 1
}

// optTTL reads an optional ttl in milliseconds.
func optTTL(L *lua.LState, n int) time.Duration {
	ms, _ := optMillis(L, n)
	return time.Duration(ms) * time.Millisecond
}
