package bindings

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestSessionMethodsCachedPerState checks that methods resolve through the
// per-state cache: the same function every time and for every session
// object of the state, only the methods used are created, unknown names
// are nil, and uuid stays a field.
func TestSessionMethodsCachedPerState(t *testing.T) {
	call := newFakeCall()
	L := sessionState(t, &testEnv{}, call)
	L.SetGlobal("other", NewSession(L, (&testEnv{}).runtime(), newFakeCall()))
	run(t, L, `
		same = session.answer == session.answer
		shared = session.ready == other.ready
		unknown = session.noSuchMethod == nil
		uuid_field = session.uuid
		ready = session:ready()
	`)
	for name, want := range map[string]string{"same": "true", "shared": "true", "unknown": "true", "ready": "true", "uuid_field": testUUID} {
		if got := global(L, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	mt := L.GetTypeMetatable(sessionTypeName).(*lua.LTable)
	cache := mt.RawGetString("__index").(*lua.LFunction).Upvalues[0].Value().(*lua.LTable)
	var names []string
	cache.ForEach(func(k, _ lua.LValue) { names = append(names, k.String()) })
	if len(names) != 2 {
		t.Errorf("cached methods %q, want only answer and ready", names)
	}
	if n := len(sessionMethods()); n < 30 {
		t.Errorf("%d session methods known, want the whole mod_lua set", n)
	}
}
