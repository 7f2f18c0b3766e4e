package bindings

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// A table nested 2,000,000 deep (the attack report's) is refused by
// json.encode and logged as its tostring: the process does not run out of
// goroutine stack.
func TestJSONDeepNesting(t *testing.T) {
	logger, buf := capture()
	L := newTestState(t, &testEnv{Logger: logger, Script: "deep"})
	run(t, L, `
		local json, log = require("json"), require("log")
		local t = {}
		for i = 1, 2000000 do t = {t} end
		v, err = json.encode(t)
		log.info("deep", {t = t})
		local ok = {}
		for i = 1, 999 do ok = {ok} end
		fine = json.encode(ok) ~= nil
		d1, derr = json.decode(("["):rep(1001) .. ("]"):rep(1001))
		d2 = json.decode(("["):rep(1000) .. ("]"):rep(1000)) ~= nil
	`)
	if global(L, "v") != "nil" || global(L, "err") != errJSONDepth.Error() {
		t.Errorf("encode: %s, %s; want nil, %q", global(L, "v"), global(L, "err"), errJSONDepth)
	}
	if !strings.Contains(buf.String(), `"t":"table: 0x`) {
		t.Errorf("log line %s: want the table's tostring", buf.String())
	}
	if global(L, "fine") != "true" || global(L, "d2") != "true" {
		t.Error("999 or 1000 levels refused")
	}
	if global(L, "d1") != "nil" || !strings.Contains(global(L, "derr"), errJSONDepth.Error()) {
		t.Errorf("decode: %s, %s; want nil, the depth error", global(L, "d1"), global(L, "derr"))
	}
}

// json.decode reads what encoding/json reads, the same way (values,
// errors), but for nesting deeper than 1000 levels.
func FuzzJSONDecodeMatchesStdlib(f *testing.F) {
	for _, s := range []string{`{"n":[1,null,3],"s":"h\u00e9\n","o":{"k":false}}`, `[1] x`, `{bad`, `"\ud83d\ude00 \ud800 \udc00x"`,
		"\"\xff\"", `-0.5e+3`, `01`, `1e400`, `[1,]`, `{"a":1,"a":2}`, ` true `, `[{}, [], ""]`, `"\u0000\/"`, `{"a" 1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Count(text, "[")+strings.Count(text, "{") > 900 {
			return
		}
		L := lua.NewState()
		defer L.Close()
		got, err := decodeJSON(L, text)
		var want any
		werr := json.Unmarshal([]byte(text), &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: ours %v, encoding/json %v", text, err, werr)
		}
		if err == nil && !sameJSON(got, want, jsonNullValue(L)) {
			t.Fatalf("%q: ours %v, encoding/json %#v", text, got, want)
		}
	})
}

// sameJSON compares a decoded Lua value with encoding/json's.
func sameJSON(lv lua.LValue, gv any, null lua.LValue) bool {
	switch x := gv.(type) {
	case nil:
		return lv == null
	case bool:
		return lv == lua.LBool(x)
	case float64:
		n, ok := lv.(lua.LNumber)
		return ok && (float64(n) == x || math.IsNaN(x) && math.IsNaN(float64(n)))
	case string:
		return lv == lua.LString(x)
	case []any:
		t, ok := lv.(*lua.LTable)
		if !ok || t.Len() != len(x) {
			return false
		}
		for i, e := range x {
			if !sameJSON(t.RawGetInt(i+1), e, null) {
				return false
			}
		}
		return true
	case map[string]any:
		t, ok := lv.(*lua.LTable)
		if !ok {
			return false
		}
		n := 0
		t.ForEach(func(lua.LValue, lua.LValue) { n++ })
		for k, e := range x {
			if !sameJSON(t.RawGetString(k), e, null) {
				return false
			}
		}
		return n == len(x)
	}
	return false
}
