package bindings

import (
	"testing"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// pushedEvent builds a call event with a body-less header block.
func pushedEvent(name, uuid string) *esl.Event {
	ev := esl.NewEvent(name)
	ev.Add("Unique-ID", uuid)
	ev.Add("variable_seq", uuid+"-seq")
	return ev
}

func TestEventPusherKnownHeaders(t *testing.T) {
	L := newTestState(t, &testEnv{})
	p := NewEventPusher(L)
	a := pushedEvent("CHANNEL_ANSWER", "a")
	L.SetGlobal("a", p.Push(a, KnownHeaders{EventName: "CHANNEL_ANSWER", UniqueID: "a"}))
	run(t, L, `
		an, au, af, ag = a:get("Event-Name"), a:get("Unique-ID"), a:getHeader("Unique-ID"), a:getHeader("Event-Name")
		aname, auuid, avar = a:name(), a:uuid(), a:var("seq")
	`)
	// A second event replaces the known headers: the first object, kept by
	// the script, must still read its own.
	b := pushedEvent("CHANNEL_HANGUP", "b")
	L.SetGlobal("b", p.Push(b, KnownHeaders{EventName: "CHANNEL_HANGUP", UniqueID: "b"}))
	run(t, L, `
		kn, ku, kname, kuuid = a:get("Event-Name"), a:get("Unique-ID"), a:name(), a:uuid()
		bn, bu = b:get("Event-Name"), b:getHeader("Unique-ID")
	`)
	p.Forget()
	run(t, L, `fn, fu = b:name(), b:uuid()`)
	want := map[string]string{"an": "CHANNEL_ANSWER", "au": "a", "af": "a", "ag": "CHANNEL_ANSWER",
		"aname": "CHANNEL_ANSWER", "auuid": "a", "avar": "a-seq",
		"kn": "CHANNEL_ANSWER", "ku": "a", "kname": "CHANNEL_ANSWER", "kuuid": "a",
		"bn": "CHANNEL_HANGUP", "bu": "b", "fn": "CHANNEL_HANGUP", "fu": "b"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestEventPusherUnknownHeadersScan(t *testing.T) {
	L := newTestState(t, &testEnv{})
	p := NewEventPusher(L)
	// Channel-Call-UUID only: Unique-ID is absent, so a caller must not
	// claim it, and an empty KnownHeaders reads the event itself.
	ev := esl.NewEvent("CHANNEL_CREATE")
	ev.Add("Channel-Call-UUID", "c-1")
	L.SetGlobal("ev", p.Push(ev, KnownHeaders{}))
	run(t, L, `n, u, uid = ev:get("Event-Name"), ev:uuid(), tostring(ev:get("Unique-ID"))`)
	if n, u, uid := global(L, "n"), global(L, "u"), global(L, "uid"); n != "CHANNEL_CREATE" || u != "c-1" || uid != "nil" {
		t.Fatalf("name %q uuid %q Unique-ID %q", n, u, uid)
	}
}

func TestEventPusherSharesPushEventMetatable(t *testing.T) {
	L := newTestState(t, &testEnv{})
	p := NewEventPusher(L)
	a := p.Push(pushedEvent("A", "1"), KnownHeaders{EventName: "A", UniqueID: "1"}).(*lua.LUserData)
	b := pushEvent(L, pushedEvent("B", "2")).(*lua.LUserData)
	if a.Metatable != b.Metatable {
		t.Fatal("pushEvent and EventPusher objects have different metatables")
	}
	L.SetGlobal("b", b)
	run(t, L, `bn, bu, bs = b:name(), b:uuid(), tostring(b)`)
	if got := global(L, "bn") + "/" + global(L, "bu") + "/" + global(L, "bs"); got != "B/2/event: B" {
		t.Fatalf("pushEvent object reads %q", got)
	}
}
