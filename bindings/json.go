package bindings

import (
	"errors"

	lua "github.com/yuin/gopher-lua"
)

// Sentinel errors of the json module.
var (
	// errJSONCycle is returned when a table contains itself.
	errJSONCycle = errors.New("bindings: json: table contains itself")
	// errJSONType is returned for values JSON cannot hold (functions,
	// userdata, NaN, tables with keys other than strings and numbers).
	errJSONType = errors.New("bindings: json: value cannot be encoded")
	// errJSONDepth is returned for tables (or JSON text) nested more than
	// 1000 levels deep.
	errJSONDepth = errors.New("bindings: json: nested more than 1000 levels deep")
	// ErrJSONTooLong is returned when the JSON text would pass the string
	// limit (see LimitLibraries).
	ErrJSONTooLong = errors.New("bindings: json: text would pass the string limit")
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
func openJSON(L *lua.LState, rt *Runtime) *lua.LTable {
	mod := L.CreateTable(0, 3)
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
	mt := L.CreateTable(0, 1)
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("null"))
		return 1
	}))
	ud.Metatable = mt
	reg.RawSetString(jsonNullKey, ud)
	return ud
}

func luaJSONEncode(L *lua.LState) int {
	b, err := encodeJSON(L, L.CheckAny(1))
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
