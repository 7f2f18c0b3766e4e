package bindings

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// freeswitch.IVRMenu: mod_lua's menu engine (switch_ivr_menu.c) run on the
// host over the call's socket, with mod_lua's API:
//
//	local top = freeswitch.IVRMenu(nil, "main", greeting, short_greeting,
//	    invalid_sound, exit_sound, transfer_sound, confirm_macro, confirm_key,
//	    tts_engine, tts_voice, confirm_attempts, inter_timeout, digit_len,
//	    timeout, max_failures, max_timeouts)      -- exactly 17 arguments
//	top:bindAction("menu-exec-app", "transfer 1000 XML default", "1")
//	top:bindAction("menu-sub", "sales", "/^2(\\d)$/")    -- a regex bind
//	top:execute(session, "main")                       -- blocks
//
// A menu made with another menu as its first argument joins that menu's
// stack (menu-sub finds it by name). The engine plays the greeting (the
// short greeting from the second round on) and collects digits as
// FreeSWITCH's does: the first digit cuts the greeting, then up to the
// longest bind's length (at least digit_len) until a terminator ("#", or
// the channel variable ivr_menu_terminator), inter_timeout between
// digits and timeout in all; every bind that matches runs its action, no
// match plays invalid_sound; max_failures wrong or empty rounds, or
// max_timeouts silent ones, end it (ivr_menu_status failure or timeout,
// else success), and the top menu plays exit_sound on its way out. The
// confirm macro, TTS variables, the transfer sound before a transfer and
// the CUSTOM events menu::enter and menu::exit (Menu-Name and the call's
// Channel-* and Caller-* headers, without Unique-ID: FreeSWITCH would queue
// an event carrying a live call's Unique-ID to that call instead of firing
// it) work as there. Prompts play through the playback and phrase
// applications, applications of menu-exec-app run as session:execute (so
// FreeSWITCH expands their ${variables}, which mod_lua's engine does not,
// and an unknown application hangs the call up where mod_lua's engine
// ends the menu).

const ivrMenuTypeName = "eslscript.freeswitch.IVRMenu"

// ivrMenu is one menu; menus of a stack are linked by next.
type ivrMenu struct {
	rt                                                     *Runtime
	name, greeting, shortGreeting, invalid, exit, transfer string
	confirmMacro, confirmKey, ttsEngine, ttsVoice          string
	confirmAttempts, interTimeout, inlen, timeout          int
	maxFailures, maxTimeouts                               int
	actions                                                []menuAction
	next                                                   *ivrMenu
	top                                                    bool // made without a main menu
	depth                                                  int  // menus of this stack running (stack_count)
	toMain                                                 bool // menu-top was chosen below it
}

// menuAction is one bindAction.
type menuAction struct {
	action, arg, bind string
	re                bool
}

// menuActions are the actions bindAction knows (switch_ivr_menu_str2action).
var menuActions = []string{"menu-exit", "menu-sub", "menu-exec-app", "menu-play-sound", "menu-back", "menu-top"}

// fsNewIVRMenu implements freeswitch.IVRMenu(main, name, greeting, ...):
// exactly 17 arguments, as mod_lua's SWIG wrapper checks.
func fsNewIVRMenu(L *lua.LState, rt *Runtime) int {
	if n := L.GetTop(); n != 17 {
		arityError(L, "IVRMenu::IVRMenu", 17, n)
	}
	var main *ivrMenu
	if L.Get(1) != lua.LNil {
		main = checkIVRMenu(L, 1)
	}
	str := func(n int) string { return optStr(L, n, "") }
	num := func(n int) int { return argInt(L, n) }
	m := &ivrMenu{rt: rt, name: str(2), greeting: str(3), shortGreeting: str(4), invalid: str(5), exit: str(6),
		transfer: str(7), confirmMacro: str(8), confirmKey: str(9), ttsEngine: str(10), ttsVoice: str(11),
		confirmAttempts: num(12), interTimeout: num(13), inlen: num(14), timeout: num(15),
		maxFailures: num(16), maxTimeouts: num(17)}
	m.defaults()
	if main != nil {
		last := main
		for last.next != nil {
			last = last.next
		}
		last.next = m
	} else {
		m.top = true
	}
	ud := L.NewUserData()
	ud.Value = m
	L.SetMetatable(ud, methodsMetatable(L, ivrMenuTypeName, map[string]lua.LGFunction{
		"bindAction": ivrMenuBindAction,
		"execute":    ivrMenuExecute,
	}))
	L.Push(ud)
	return 1
}

// arityError raises SWIG's error for a call with the wrong number of
// arguments, without a position, as mod_lua's wrapper raises it.
func arityError(L *lua.LState, fn string, want, got int) {
	L.Error(lua.LString(fmt.Sprintf("Error in %s expected %d..%d args, got %d", fn, want, want, got)), 0)
}

// defaults applies switch_ivr_menu_init's: a menu without a name is "no
// name", 3 confirm attempts, failures and timeouts, inter_timeout half
// the given timeout, and a timeout of 10 s when none is given.
func (m *ivrMenu) defaults() {
	if m.name == "" {
		m.name = "no name"
	}
	if m.confirmAttempts == 0 {
		m.confirmAttempts = 3
	}
	if m.interTimeout == 0 {
		m.interTimeout = m.timeout / 2
	}
	if m.maxFailures <= 0 {
		m.maxFailures = 3
	}
	if m.maxTimeouts <= 0 {
		m.maxTimeouts = 3
	}
	if m.timeout <= 0 {
		m.timeout = 10000
	}
}

// checkIVRMenu returns the menu at argument n.
func checkIVRMenu(L *lua.LState, n int) *ivrMenu {
	if m, ok := L.CheckUserData(n).Value.(*ivrMenu); ok {
		return m
	}
	L.ArgError(n, "freeswitch.IVRMenu expected")
	return nil
}

// ivrMenuBindAction implements menu:bindAction(action, arg, digits): digits
// starting with "/" are a regular expression (/re/ with flags after the
// last slash), else an exact string whose length raises the number of
// digits the menu collects. An unknown action is logged and ignored.
func ivrMenuBindAction(L *lua.LState) int {
	if n := L.GetTop(); n != 4 {
		arityError(L, "IVRMenu::bindAction", 4, n)
	}
	m := checkIVRMenu(L, 1)
	action, arg, bind := optStr(L, 2, ""), optStr(L, 3, ""), optStr(L, 4, "")
	known := false
	for _, a := range menuActions {
		if strings.EqualFold(a, action) {
			action, known = a, true
		}
	}
	if !known {
		fsLog(m.rt, m.rt.scope, fsSlogLevels[3], "invalid action "+action, "err")
		return 0
	}
	ma := menuAction{action: action, arg: arg, bind: bind, re: strings.HasPrefix(bind, "/")}
	if !ma.re && len(bind) > m.inlen {
		m.inlen = len(bind)
	}
	m.actions = append(m.actions, ma)
	return 0
}

// find returns the menu called name among m and the menus after it.
func (m *ivrMenu) find(name string) *ivrMenu {
	for x := m; x != nil; x = x.next {
		if x.name == name {
			return x
		}
	}
	return nil
}

// match reports whether digits select the action, and the argument it
// runs with: a regex bind's $1..$9 in arg are its captures.
func (a menuAction) match(digits string) (bool, string) {
	if !a.re {
		return digits == a.bind, a.arg
	}
	re := compileMenuRegex(a.bind)
	if re == nil {
		return false, a.arg
	}
	sub := re.FindStringSubmatch(digits)
	if sub == nil {
		return false, a.arg
	}
	arg := a.arg
	for i := len(sub) - 1; i >= 1; i-- { // $10 before $1
		arg = strings.ReplaceAll(arg, "$"+strconv.Itoa(i), sub[i])
	}
	return true, arg
}

// compileMenuRegex compiles "/re/flags" (the i flag: case-insensitive);
// nil when Go's regexp cannot read it.
func compileMenuRegex(bind string) *regexp.Regexp {
	body := strings.TrimPrefix(bind, "/")
	flags := ""
	if i := strings.LastIndex(body, "/"); i >= 0 {
		body, flags = body[:i], body[i+1:]
	}
	if strings.Contains(flags, "i") {
		body = "(?i)" + body
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil
	}
	return re
}
