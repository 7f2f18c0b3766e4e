package bindings

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// The menu engine's run (switch_ivr_menu_execute, play_and_collect and
// switch_ivr_collect_digits_count, over ESL).

// menuStatus is the outcome of a step, as the engine's switch_status_t.
type menuStatus int

const (
	menuSuccess menuStatus = iota
	menuFalse              // failed, or the call is gone: ends the menu
	menuTimeout            // no digit in time
	menuBreak              // a digit cut a prompt, or menu-top below the top
)

// maxMenuDepth is how many menus of one stack may run nested.
const maxMenuDepth = 12

// ivrMenuExecute implements menu:execute(session, name): it runs the menu
// called name of this menu's stack and returns when it ends.
func ivrMenuExecute(L *lua.LState) int {
	if n := L.GetTop(); n != 3 {
		arityError(L, "IVRMenu::execute", 3, n)
	}
	stack := checkIVRMenu(L, 1)
	s := sessionAt(L, 2)
	stack.run(L, s, optStr(L, 3, ""))
	s.refresh(L)
	return 0
}

// run runs the menu called name of the stack m heads on session s.
func (stack *ivrMenu) run(L *lua.LState, s *luaSession, name string) menuStatus {
	stack.depth++
	defer func() { stack.depth-- }()
	if stack.depth > maxMenuDepth {
		fsLog(s.rt, s.rt.scope, fsSlogLevels[3], "Too many levels of recursion.", "err")
		return menuFalse
	}
	menu := stack.find(name)
	if name == "" || menu == nil {
		fsLog(s.rt, s.rt.scope, fsSlogLevels[3], "Invalid Menu!", "err")
		return menuFalse
	}
	menu.setTTS(s)
	s.menuSetVar("ivr_menu_status", "success")
	s.menuEvent("menu::enter", menu)
	status := menu.rounds(L, s, stack)
	if stack.depth == 1 && menu.exit != "" {
		_, status = s.menuPlayCollect(L, menu, menu.exit, 0)
	}
	s.menuEvent("menu::exit", menu)
	return status
}

// rounds plays the menu round after round until an action ends it, too
// many failures or timeouts, or the call's end.
func (menu *ivrMenu) rounds(L *lua.LState, s *luaSession, stack *ivrMenu) menuStatus {
	status, running := menuSuccess, true
	errs, timeouts := 0, 0
	for reps := 0; running && status == menuSuccess; reps++ {
		if s.refresh(L); s.down || s.transferred {
			break
		}
		if errs == menu.maxFailures {
			s.menuSetVar("ivr_menu_status", "failure")
			break
		}
		if timeouts == menu.maxTimeouts {
			s.menuSetVar("ivr_menu_status", "timeout")
			break
		}
		greeting := menu.greeting
		if reps > 0 && menu.shortGreeting != "" {
			greeting = menu.shortGreeting
		}
		digits, got := s.menuPlayCollect(L, menu, greeting, menu.inlen)
		if got == menuTimeout && digits == "" {
			timeouts++
			continue
		}
		match := 0
		if digits != "" {
			for _, a := range menu.actions {
				menu.setTTS(s)
				ok, arg := a.match(digits)
				if !ok {
					continue
				}
				match++
				errs = 0
				status = menu.act(L, s, stack, a.action, arg, &reps, &running)
			}
			if menu.top && stack.toMain { // menu-top chosen below: back to the top menu
				stack.toMain = false
				status, running = menuSuccess, true
				continue
			}
		}
		if match == 0 {
			if digits != "" && menu.invalid != "" {
				s.menuPlayCollect(L, menu, menu.invalid, 0)
			}
			errs++
			if status == menuBreak {
				status = menuSuccess
			}
		}
	}
	return status
}

// act runs one matched action and returns the menu's status after it.
func (menu *ivrMenu) act(L *lua.LState, s *luaSession, stack *ivrMenu, action, arg string, reps *int, running *bool) menuStatus {
	switch action {
	case "menu-exit":
		return menuFalse
	case "menu-play-sound":
		if _, why := s.execute(L, "playback", scopeNoTerminators+arg); why != "" {
			return menuFalse
		}
		return menuSuccess
	case "menu-sub":
		if arg == menu.name {
			return menuSuccess
		}
		*reps = -1
		s.menuEvent("menu::exit", menu)
		status := stack.run(L, s, arg)
		s.menuEvent("menu::enter", menu)
		return status
	case "menu-exec-app":
		return menu.execApp(L, s, arg)
	case "menu-back":
		*running = false
		return menuSuccess
	case "menu-top":
		stack.toMain = true
		return menuBreak
	}
	return menuSuccess
}

// execApp runs "app args" as session:execute does, the transfer sound
// first when the application is transfer.
func (menu *ivrMenu) execApp(L *lua.LState, s *luaSession, arg string) menuStatus {
	app, data, _ := strings.Cut(arg, " ")
	if app == "" {
		return menuFalse
	}
	if menu.transfer != "" && app == "transfer" {
		s.menuPlayCollect(L, menu, menu.transfer, 0)
	}
	s.coll = &collector{app: app, keepFIFO: true}
	_, why := s.execute(L, app, data)
	s.coll = nil
	if why == "" && strings.EqualFold(app, "transfer") {
		s.markTransferred()
	}
	return menuSuccess
}

// setTTS sets tts_engine and tts_voice on the call when the menu has both.
func (menu *ivrMenu) setTTS(s *luaSession) {
	if menu.ttsEngine != "" && menu.ttsVoice != "" {
		s.menuSetVar("tts_engine", menu.ttsEngine)
		s.menuSetVar("tts_voice", menu.ttsVoice)
	}
}

// menuSetVar sets a channel variable for the engine (failures logged).
func (s *luaSession) menuSetVar(name, value string) {
	if s.down {
		return
	}
	if _, why := s.api("uuid_setvar " + s.uuid + " " + name + " " + quoteArg(value)); why != "" {
		s.rt.logger().Debug("bindings: IVRMenu: variable not set", append(runArgs(s.rt), "var", name, "error", why)...)
	}
}

// menuEvent fires the CUSTOM event subclass (menu::enter, menu::exit)
// with Menu-Name and the call's Channel-* and Caller-* headers.
func (s *luaSession) menuEvent(subclass string, menu *ivrMenu) {
	if s.rt.scope.esl == nil {
		return
	}
	hs := []esl.MsgHeader{{Name: "Menu-Name", Value: menu.name}}
	if s.vars != nil {
		s.vars.Range(func(name, value string) bool {
			if strings.HasPrefix(name, "Channel-") || strings.HasPrefix(name, "Caller-") {
				hs = append(hs, esl.MsgHeader{Name: name, Value: value})
			}
			return true
		})
	}
	if _, err := s.rt.scope.esl.Send(s.rt.ctx(), esl.SendEvent{Name: "CUSTOM", Subclass: subclass, Headers: hs}); err != nil {
		s.rt.logger().Debug("bindings: IVRMenu: event not fired", append(runArgs(s.rt), "event", subclass, "error", errText(err))...)
	}
}

// menuPlayCollect is play_and_collect: it plays sound (nothing when it is
// empty: menuFalse) and, when need > 0, collects up to need digits. The
// first digit cuts the prompt; the rest are read until need of them, a
// terminator, inter_timeout between digits (timeout before the first)
// or timeout in all; then the confirm macro may reject them. With need 0
// a digit only cuts the prompt and stays for the next read.
func (s *luaSession) menuPlayCollect(L *lua.LState, menu *ivrMenu, sound string, need int) (string, menuStatus) {
	if sound == "" {
		return "", menuFalse
	}
	terms := "#"
	if t := s.menuVar(L, "ivr_menu_terminator"); t != "" {
		terms = t
	}
	if need == 0 {
		return "", s.menuPlay(L, "playback", scopeNoTerminators+sound)
	}
	first := ""
	status := s.menuPlayFirst(L, "playback", scopeNoTerminators+sound, &first)
	digits := first
	if len(digits) < need {
		timeout := menu.timeout
		if digits != "" {
			timeout = menu.interTimeout
		}
		var more string
		more, status = s.collectCount(L, menu.inlen-len(digits), terms, timeout, menu.interTimeout, menu.timeout)
		digits += more
	}
	if menu.confirmMacro != "" && status == menuSuccess && digits != "" && !s.menuConfirm(L, menu, digits, terms) {
		digits = ""
	}
	return digits, status
}

// menuConfirm plays the confirm macro with the digits up to
// confirm_attempts times; with a confirm key, the first digit pressed
// during it (or within timeout after it) accepts them when it is the key
// and rejects them otherwise. Without a confirm key every attempt is
// played and the digits rejected, as FreeSWITCH's engine does.
func (s *luaSession) menuConfirm(L *lua.LState, menu *ivrMenu, digits, terms string) bool {
	phrase := menu.confirmMacro + "," + digits
	for att := menu.confirmAttempts; att > 0; att-- {
		key := ""
		if menu.confirmKey == "" { // played whole: digits neither cut it nor are lost
			if _, why := s.execute(L, "phrase", phrase); why != "" {
				return false
			}
			continue
		}
		s.menuPlayFirst(L, "phrase", phrase, &key)
		if key == "" {
			key, _ = s.collectCount(L, 1, terms, menu.timeout, 0, 0)
		}
		if key != "" {
			return key[0] == menu.confirmKey[0]
		}
	}
	return false
}

// menuPlay plays a prompt that a digit cuts; the digit stays queued for
// the next read (switch_ivr_play_file with input arguments but no
// buffer breaks without dequeuing it).
func (s *luaSession) menuPlay(L *lua.LState, app, arg string) menuStatus {
	stopped, why := s.playWith(L, app, arg, func(d dtmfInput) string {
		s.dtmf = append([]string{d.digit}, s.dtmf...) // not the prompt's: the next read gets it
		return "break"
	})
	switch {
	case why != "":
		return menuFalse
	case stopped:
		return menuBreak
	}
	return menuSuccess
}

// menuPlayFirst plays a prompt that the first digit cuts; the digit is
// stored in first (menuBreak).
func (s *luaSession) menuPlayFirst(L *lua.LState, app, arg string, first *string) menuStatus {
	stopped, why := s.playWith(L, app, arg, func(d dtmfInput) string {
		*first = d.digit
		return "break"
	})
	switch {
	case why != "":
		return menuFalse
	case stopped:
		return menuBreak
	}
	return menuSuccess
}

// menuVar reads a channel variable ("" when unset or on failure).
func (s *luaSession) menuVar(L *lua.LState, name string) string {
	if s.usable(L, false) != "" {
		return ""
	}
	out, why := s.api("uuid_getvar " + s.uuid + " " + name)
	if out = strings.TrimRight(out, "\n"); why != "" || out == "_undef_" {
		return ""
	}
	return out
}

// collectCount is switch_ivr_collect_digits_count on the host FIFO: up to
// max digits, ended by a terminator (not returned), a timeout (first
// before the first digit, digit between digits; 0 for digit means first,
// 0 for both none) or abs in all (0: none). It returns the digits and
// menuSuccess (max or a terminator), menuTimeout or menuFalse (hangup).
func (s *luaSession) collectCount(L *lua.LState, max int, terms string, first, digit, abs int) (string, menuStatus) {
	if max <= 0 {
		return "", menuFalse
	}
	eff := first
	switch {
	case digit > 0 && first == 0:
		eff = digit
	case digit == 0 && first > 0:
		digit = first
	}
	deadline := s.after(abs)
	var b strings.Builder
	for {
		err := s.wait(L, waitFor{cond: s.hasDigit, timeout: s.after(eff), deadline: deadline, hangup: true})
		switch {
		case err == errTimeout:
			return b.String(), menuTimeout
		case err != nil:
			return b.String(), menuFalse
		}
		if eff > 0 {
			eff = digit
		}
		d := s.popDigit()
		if strings.Contains(terms, d) {
			return b.String(), menuSuccess
		}
		if b.WriteString(d); b.Len() >= max {
			return b.String(), menuSuccess
		}
	}
}
