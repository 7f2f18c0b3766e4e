package bindings

import (
	"encoding/json"
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// Sentinel errors of the json module.
var (
	// ErrJSONCycle is returned when a table contains itself.
	ErrJSONCycle = errors.New("bindings: json: table contains itself")
	// ErrJSONType is returned for values JSON cannot hold (functions,
	// userdata, NaN, tables with keys other than strings and numbers).
	ErrJSONType = errors.New("bindings: json: value cannot be encoded")
)

// jsonNull is the Go value inside the json.null sentinel userdata.
type jsonNull struct{}

const jsonNullKey = "eslscript.json.null"

// The json module:
//
//	json.encode(value) -> string | nil, err
//	json.decode(text) -> value | nil, err
//	json.null
//
// encode writes a table as an array when its keys are exactly 1..n (n > 0)
// and as an object otherwise (keys sorted; number keys become strings; an
// empty table is {}). decode maps null to json.null so that arrays keep
// their positions and objects their keys.
func openJSON(L *lua.LState, env *Env) *lua.LTable {
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(luaJSONEncode))
	mod.RawSetString("decode", L.NewFunction(luaJSONDecode))
	mod.RawSetString("null", jsonNullValue(L))
	return mod
}

// jsonNullValue returns the state's json.null sentinel, made once.
func jsonNullValue(L *lua.LState) lua.LValue {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if v := reg.RawGetString(jsonNullKey); v != lua.LNil {
		return v
	}
	ud := L.NewUserData()
	ud.Value = jsonNull{}
	mt := L.NewTable()
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("null"))
		return 1
	}))
	ud.Metatable = mt
	reg.RawSetString(jsonNullKey, ud)
	return ud
}

func luaJSONEncode(L *lua.LState) int {
	b, err := encodeJSON(L.CheckAny(1))
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(lua.LString(b))
	return 1
}

func luaJSONDecode(L *lua.LState) int {
	v, err := decodeJSON(L, L.CheckString(1))
	if err != nil {
		return failure(L, err.Error())
	}
	L.Push(v)
	return 1
}

// decodeJSON parses text into Lua values.
func decodeJSON(L *lua.LState, text string) (lua.LValue, error) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return lua.LNil, fmt.Errorf("bindings: json: %v", err)
	}
	return fromGo(L, v, jsonNullValue(L)), nil
}

// fromGo converts the output of json.Unmarshal.
func fromGo(L *lua.LState, v any, null lua.LValue) lua.LValue {
	switch x := v.(type) {
	case nil:
		return null
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case []any:
		t := L.CreateTable(len(x), 0)
		for _, e := range x {
			t.Append(fromGo(L, e, null))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(x))
		for k, e := range x {
			t.RawSetString(k, fromGo(L, e, null))
		}
		return t
	}
	return lua.LNil
}
