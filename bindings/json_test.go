package bindings

import (
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `
		local json = require("json")
		enc = json.encode({b = 1, a = {1, 2.5, "x"}, c = true, d = json.null, e = {}})
		local v = json.decode([[{"n":[1,null,3],"s":"h\u00e9\n","o":{"k":false}}]])
		arr_len = #v.n
		null_ok = v.n[2] == json.null
		s = v.s
		k = tostring(v.o.k)
		again = json.encode(v)
		str = json.encode("q\"\\\1")
		nested = json.encode({{1}, {x = {}}})
	`)
	want := map[string]string{
		"enc":     `{"a":[1,2.5,"x"],"b":1,"c":true,"d":null,"e":{}}`,
		"arr_len": "3", "null_ok": "true", "s": "hé\n", "k": "false",
		"again":  `{"n":[1,null,3],"o":{"k":false},"s":"hé\n"}`,
		"str":    `"q\"\\\u0001"`,
		"nested": `[[1],{"x":{}}]`,
	}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `
		local json = require("json")
		local t = {}; t.self = t
		v1, e1 = json.encode(t)
		v2, e2 = json.encode({f = print})
		v3, e3 = json.decode("{bad")
		v4, e4 = json.encode(0/0)
		v5, e5 = json.encode({[true] = 1})
		v6, e6 = json.decode("[1] x")
		local shared = {1}
		ok_shared = json.encode({shared, shared})
	`)
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		if global(L, "v"+n) != "nil" || global(L, "e"+n) == "nil" {
			t.Errorf("case %s: got %s, %s; want nil, err", n, global(L, "v"+n), global(L, "e"+n))
		}
	}
	if got := global(L, "e1"); got != errJSONCycle.Error() {
		t.Errorf("cycle error = %q", got)
	}
	if got := global(L, "ok_shared"); got != "[[1],[1]]" {
		t.Errorf("shared table = %q, want [[1],[1]]", got)
	}
}
