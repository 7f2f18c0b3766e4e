package bindings

import (
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// ErrNoKV is the runtime failure of kv functions when the host gave no store.
var ErrNoKV = errors.New("bindings: kv: no store")

// The kv module: process-wide shared values with optional expiry.
//
//	kv.get(key) -> string | nil
//	kv.set(key, value[, ttl_ms]) -> true     (value nil deletes)
//	kv.del(key) -> true
//	kv.incr(key[, delta=1[, ttl_ms]]) -> number | nil, err
//	kv.keys(prefix) -> array of keys, sorted
//
// Values are strings; numbers are stored as their Lua string form. Other
// value types (tables, booleans, functions) raise: encode them with
// json.encode first. A ttl of 0 or none means no expiry; for incr it keeps
// the key's current expiry.
func openKV(L *lua.LState, env *Env) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"get":  func(L *lua.LState) int { return kvGet(L, env) },
		"set":  func(L *lua.LState) int { return kvSet(L, env) },
		"del":  func(L *lua.LState) int { return kvDel(L, env) },
		"incr": func(L *lua.LState) int { return kvIncr(L, env) },
		"keys": func(L *lua.LState) int { return kvKeys(L, env) },
	})
}

func kvGet(L *lua.LState, env *Env) int {
	key := L.CheckString(1)
	if env.KV == nil {
		return failure(L, ErrNoKV.Error())
	}
	if v, ok := env.KV.Get(key); ok {
		L.Push(lua.LString(v))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

func kvSet(L *lua.LState, env *Env) int {
	key := L.CheckString(1)
	v := L.Get(2)
	ttl := optTTL(L, 3)
	if v == lua.LNil {
		return kvDel(L, env)
	}
	if !lua.LVCanConvToString(v) {
		L.ArgError(2, "string or number expected (json.encode tables)")
	}
	if env.KV == nil {
		return failure(L, ErrNoKV.Error())
	}
	env.KV.Set(key, lua.LVAsString(v), ttl)
	L.Push(lua.LTrue)
	return 1
}

func kvDel(L *lua.LState, env *Env) int {
	key := L.CheckString(1)
	if env.KV == nil {
		return failure(L, ErrNoKV.Error())
	}
	env.KV.Delete(key)
	L.Push(lua.LTrue)
	return 1
}

func kvIncr(L *lua.LState, env *Env) int {
	key := L.CheckString(1)
	delta := optInt(L, 2, 1)
	ttl := optTTL(L, 3)
	if env.KV == nil {
		return failure(L, ErrNoKV.Error())
	}
	n, err := env.KV.Incr(key, int64(delta), ttl)
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(lua.LNumber(n))
	return 1
}

func kvKeys(L *lua.LState, env *Env) int {
	prefix := optStr(L, 1, "")
	if env.KV == nil {
		return failure(L, ErrNoKV.Error())
	}
	keys := env.KV.Keys(prefix)
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
