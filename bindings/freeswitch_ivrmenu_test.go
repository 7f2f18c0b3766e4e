package bindings

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// menuOf returns the menu held by the global name.
func menuOf(t *testing.T, L *lua.LState, name string) *ivrMenu {
	t.Helper()
	ud, ok := L.GetGlobal(name).(*lua.LUserData)
	if !ok {
		t.Fatalf("%s is no menu", name)
	}
	return ud.Value.(*ivrMenu)
}

func TestIVRMenuConstruction(t *testing.T) {
	lg, buf := capture()
	L := newTestState(t, &testEnv{Logger: lg})
	run(t, L, `
		local fs = require("freeswitch")
		ok, err = pcall(fs.IVRMenu, nil, "x")
		top = fs.IVRMenu(nil, "", "g", "", "", "", "", "", "", "", "", 0, 0, 1, 0, 0, -1)
		sub = fs.IVRMenu(top, "sub", "g", "", "", "", "", "", "", "", "", 0, 0, 1, 4000, 2, 5)
		top:bindAction("menu-exec-app", "set x=$1", "/^5(\\d)$/")
		top:bindAction("MENU-EXIT", "", "1234")
		top:bindAction("no-such-action", "", "99999")`)
	if global(L, "ok") != "false" || global(L, "err") != "Error in IVRMenu::IVRMenu expected 17..17 args, got 2" {
		t.Fatalf("wrong arity: %s, %q", global(L, "ok"), global(L, "err"))
	}
	m, sub := menuOf(t, L, "top"), menuOf(t, L, "sub")
	// switch_ivr_menu_init's defaults; the longest exact bind sets the digits to collect
	if m.name != "no name" || m.timeout != 10000 || m.interTimeout != 0 || m.maxFailures != 3 || m.maxTimeouts != 3 ||
		m.confirmAttempts != 3 || m.inlen != 4 || !m.top || len(m.actions) != 2 || m.actions[1].action != "menu-exit" {
		t.Fatalf("menu = %+v", m)
	}
	if m.next != sub || sub.top || sub.interTimeout != 2000 || m.find("sub") != sub || m.find("nope") != nil {
		t.Fatalf("the submenu is not on the top menu's stack: %+v", sub)
	}
	if !contains(buf.String(), `"msg":"invalid action no-such-action"`) {
		t.Fatalf("the unknown action was not logged: %s", buf.String())
	}
}

func TestIVRMenuMatch(t *testing.T) {
	for _, c := range []struct {
		bind, arg, digits string
		ok                bool
		want              string
	}{
		{"12", "a", "12", true, "a"},
		{"12", "a", "1", false, "a"},
		{"/^5(\\d)(\\d)$/", "x=$2$1", "567", true, "x=76"},
		{"/^A$/i", "ok", "a", true, "ok"},
		{"/^[/", "bad", "1", false, "bad"},
	} {
		a := menuAction{bind: c.bind, arg: c.arg, re: c.bind[0] == '/'}
		if ok, arg := a.match(c.digits); ok != c.ok || arg != c.want {
			t.Errorf("bind %q on %q: %v %q, want %v %q", c.bind, c.digits, ok, arg, c.ok, c.want)
		}
	}
}
