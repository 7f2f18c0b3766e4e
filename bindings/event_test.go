package bindings

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

func TestEventObject(t *testing.T) {
	ev := esl.NewEvent("CUSTOM")
	ev.Add("Event-Subclass", "sofia::register")
	ev.Add("Unique-ID", "u-42")
	ev.Add("variable_sip_from_user", "1000")
	ev.Add("X-Tag", "one")
	ev.Add("X-Tag", "two")
	ev.Add("List", "ARRAY::a|:b|:c")
	ev.SetBody("hello")
	ev.Node = "fs1"
	L := newTestState(t, &testEnv{})
	L.SetGlobal("ev", pushEvent(L, ev))
	run(t, L, `
		name, sub, uuid, body = ev:name(), ev:subclass(), ev:uuid(), ev:body()
		user = ev:var("sip_from_user")
		missing = tostring(ev:get("Nope"))
		tags = table.concat(ev:values("X-Tag"), ",")
		items = table.concat(ev:array("List"), ",")
		local ok, err = pcall(function() return ev["Unique-ID"] end)
		field = tostring(ok) .. " " .. tostring(err):match("event has no field \"Unique%-ID\" %(read headers with ev:get%(name%)%)") 
		node = ev.node
		compat = ev:getHeader("Event-Subclass") .. "/" .. ev:getType() .. "/" .. ev:getBody()
		local hs = ev:headers()
		nh, first = #hs, hs[1][1] .. "=" .. hs[1][2]
		plain = ev:serialize()
		js = ev:json()
		js_body, js_uuid = js._body, js["Unique-ID"]
		str = tostring(ev)
	`)
	want := map[string]string{"name": "CUSTOM", "sub": "sofia::register", "uuid": "u-42", "body": "hello",
		"user": "1000", "missing": "nil", "tags": "one,two", "items": "a,b,c", "field": "false event has no field \"Unique-ID\" (read headers with ev:get(name))",
		"node": "fs1", "compat": "sofia::register/CUSTOM/hello", "nh": "7", "first": "Event-Name=CUSTOM",
		"js_body": "hello", "js_uuid": "u-42", "str": "event: CUSTOM"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	if got := global(L, "plain"); got != string(ev.AppendPlain(nil)) {
		t.Errorf("serialize = %q", got)
	}
}

func TestEventFromFixture(t *testing.T) {
	data, err := os.ReadFile("../esl/testdata/freeswitch-1.10.12/inbound-events-plain.txt")
	if err != nil {
		t.Skipf("fixture: %v", err)
	}
	var ev *esl.Event
	stop := errors.New("stop")
	err = esl.NewParser(0).Feed(data, func(f *esl.Frame) error {
		if f.ContentType() != esl.TypeEventPlain {
			return nil
		}
		e, perr := esl.ParseEvent(esl.FormatPlain, append([]byte(nil), f.Body...))
		if perr == nil && e.Name() == "CHANNEL_EXECUTE_COMPLETE" {
			ev = e
			return stop
		}
		return nil
	})
	if ev == nil {
		t.Fatalf("no CHANNEL_EXECUTE_COMPLETE in fixture (%v)", err)
	}
	L := newTestState(t, &testEnv{})
	L.SetGlobal("ev", pushEvent(L, ev))
	run(t, L, `
		name, app = ev:name(), ev:get("Application")
		uuid_ok = ev:uuid() == ev:get("Unique-ID")
		js_name = ev:json()["Event-Name"]
	`)
	if global(L, "name") != "CHANNEL_EXECUTE_COMPLETE" || global(L, "app") == "nil" ||
		global(L, "uuid_ok") != "true" || global(L, "js_name") != "CHANNEL_EXECUTE_COMPLETE" {
		t.Fatalf("name=%s app=%s uuid_ok=%s js=%s", global(L, "name"), global(L, "app"),
			global(L, "uuid_ok"), global(L, "js_name"))
	}
	if strings.Contains(global(L, "app"), "%") {
		t.Errorf("Application not decoded: %s", global(L, "app"))
	}
}

// BenchmarkEventGet measures ev:get from Lua (the loop runs inside Lua).
func BenchmarkEventGet(b *testing.B) {
	ev := esl.NewEvent("CHANNEL_ANSWER")
	ev.Add("Unique-ID", "u-1")
	L := lua.NewState()
	defer L.Close()
	L.SetGlobal("ev", pushEvent(L, ev))
	if err := L.DoString(`function loop(n) for i = 1, n do local v = ev:get("Unique-ID") end end`); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := L.CallByParam(lua.P{Fn: L.GetGlobal("loop"), Protect: true}, lua.LNumber(b.N)); err != nil {
		b.Fatal(err)
	}
}
