package bindings

import (
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// mediaCall follows one media application run with an input callback.
// FreeSWITCH fires a DTMF event when a digit is dequeued, and a playing
// (recording, sleeping) application dequeues every digit, so each DTMF
// event read until the app's CHANNEL_EXECUTE_COMPLETE is a digit the
// callback must get, as are the digits already in the host FIFO (they
// would still be queued in FreeSWITCH under mod_lua). Once the callback
// asked to stop, later digits go to the FIFO again.
type mediaCall struct {
	cb      *inputCallback
	goCB    func(dtmfInput) string // instead of cb: the host's own handling (IVRMenu)
	app     string                 // "" for collectDigits (no application)
	file    bool                   // a file is open while it runs: file commands apply
	phase   collectPhase
	appUUID string
	mark    *esl.Event  // newest backlog event when the call started
	input   []dtmfInput // digits waiting for the callback
	stopped bool        // the callback asked to stop
	broken  bool        // uuid_break was sent (or is moot)
}

// active reports whether digits read now belong to the callback.
func (m *mediaCall) active() bool { return !m.stopped && m.phase != collectFinished }

// note follows the application's CHANNEL_EXECUTE and its completion.
func (m *mediaCall) note(ev *esl.Event) {
	if m.app == "" { // collectDigits runs no application
		return
	}
	switch ev.Name() {
	case "CHANNEL_EXECUTE":
		if m.phase == collectPending && ev.Get("Application") == m.app {
			m.phase, m.appUUID = collectRunning, ev.Get("Application-UUID")
		}
	case "CHANNEL_EXECUTE_COMPLETE":
		if m.phase == collectRunning && ev.Get("Application-UUID") == m.appUUID {
			m.phase = collectFinished
		}
	}
}

// noteBacklog catches up with execute events that a session call made by
// the callback pumped into the backlog (newer than m.mark).
func (m *mediaCall) noteBacklog(backlog []*esl.Event) {
	start := 0
	for i, ev := range backlog {
		if ev == m.mark {
			start = i + 1
		}
	}
	for _, ev := range backlog[start:] {
		m.note(ev)
	}
}

// runMedia runs a callback-taking media application: without an input
// callback (or from inside one) it is runApp; otherwise each digit is
// handed to the callback while the app runs, and a stop result breaks the
// app ("uuid_break", sent only while it runs). file says whether the app
// has a file open for "uuid_fileman" commands.
func (s *luaSession) runMedia(L *lua.LState, app, arg string, okValue func(*esl.Event) lua.LValue, file bool) int {
	cb := s.inputCB(L)
	if cb == nil || cb.busy {
		return s.runApp(L, app, arg, okValue)
	}
	if why := s.usable(L, true); why != "" {
		return failure(L, why)
	}
	cb.busy = true
	defer func() { cb.busy = false }()
	m := &mediaCall{cb: cb, app: app, file: file, mark: s.lastBacklog()}
	if s.feedInput(L, m); m.stopped { // type-ahead stopped it before it started
		L.Push(stoppedValue(okValue(esl.NewEvent("CHANNEL_EXECUTE_COMPLETE"))))
		return 1
	}
	ev, why := s.executeMedia(L, m, arg)
	if why != "" {
		return failure(L, why)
	}
	if v := okValue(ev); m.stopped {
		L.Push(stoppedValue(v))
	} else {
		L.Push(v)
	}
	return 1
}

// stoppedValue is the result of a media call its input callback stopped:
// as in mod_lua, whose calls return 1 only when the playback, recording,
// sleep or speech ran to its end (a break makes them 0); the others'
// results stand.
func stoppedValue(v lua.LValue) lua.LValue {
	if _, ok := v.(lua.LNumber); ok {
		return lua.LNumber(0)
	}
	return v
}

func (s *luaSession) lastBacklog() *esl.Event {
	if n := len(s.backlog); n > 0 {
		return s.backlog[n-1]
	}
	return nil
}

// executeMedia is execute with the input loop: it waits for the app's
// result while feeding digits to the callback.
func (s *luaSession) executeMedia(L *lua.LState, m *mediaCall, arg string) (*esl.Event, string) {
	return s.executeWith(m.app, arg, func(done <-chan struct{}) error {
		return s.mediaWait(L, m, done)
	})
}

// mediaWait is wait for a media app: events are read one by one so that
// each DTMF event is placed before or after the app's completion.
func (s *luaSession) mediaWait(L *lua.LState, m *mediaCall, done <-chan struct{}) error {
	ctx, pend := s.rt.ctx(), s.rt.pending()
	for {
		s.feedInput(L, m)
		select {
		case ev, ok := <-s.events:
			s.mediaReceive(m, ev, ok)
		case <-s.hupCh:
			s.hungUp()
		case fn := <-pend:
			fn(L)
		case <-done:
			s.mediaDrain(L, m)
			return nil
		case <-ctx.Done():
			return ctxErr(ctx)
		}
	}
}

// mediaReceive routes one event: DTMF to the callback while it is
// active, everything else to the session as usual.
func (s *luaSession) mediaReceive(m *mediaCall, ev *esl.Event, ok bool) {
	if ok && ev.Name() == "DTMF" && m.active() {
		s.track(ev)
		m.input = append(m.input, eventInput(ev.Get("DTMF-Digit"), ev.Get("DTMF-Duration")))
		return
	}
	if ok && m.cb != nil && m.active() && ((s.diverted && queuedEvent(ev)) || s.speechOf(ev)) {
		m.input = append(m.input, dtmfInput{ev: namedQueued(ev)})
		return
	}
	if ok {
		m.note(ev)
	}
	s.receive(ev, ok)
}

// speechOf reports a DETECTED_SPEECH event of the call (fired: with
// fire_asr_events, which detectSpeech sets; under mod_lua the input
// callback gets it).
func (s *luaSession) speechOf(ev *esl.Event) bool {
	return ev.Name() == "DETECTED_SPEECH" && ev.UniqueID() == s.uuid
}

// mediaDrain handles, after the app's result came in, the events already
// queued up to its completion: digits the app dequeued are still the
// callback's (the result and the event stream travel separately).
func (s *luaSession) mediaDrain(L *lua.LState, m *mediaCall) {
	for s.events != nil && m.phase != collectFinished {
		select {
		case ev, ok := <-s.events:
			s.mediaReceive(m, ev, ok)
			s.feedInput(L, m)
		default:
			return
		}
	}
}

// feedInput hands the pending digits to the callback until it stops, then
// sends uuid_break once the app runs.
func (s *luaSession) feedInput(L *lua.LState, m *mediaCall) {
	for m.active() {
		d, ok := s.nextInput(m)
		if !ok {
			break
		}
		s.applyInput(m, s.mediaInput(L, m, d))
		m.noteBacklog(s.backlog)
	}
	if m.stopped && len(m.input) > 0 { // not the callback's any more
		s.dtmf = append(inputDigits(m.input), s.dtmf...)
		for i := len(m.input) - 1; i >= 0; i-- {
			if ev := m.input[i].ev; ev != nil {
				s.queued = append([]*esl.Event{ev}, s.queued...)
			}
		}
		m.input = nil
	}
	s.breakDue(m)
}

// nextInput takes the oldest digit for the callback: from the app's DTMF
// events, else from the host FIFO.
func (s *luaSession) nextInput(m *mediaCall) (dtmfInput, bool) {
	if len(m.input) > 0 {
		d := m.input[0]
		m.input = m.input[1:]
		return d, true
	}
	if s.hasDigit() {
		return dtmfInput{digit: s.popDigit(), duration: defaultDTMFDuration}, true
	}
	if m.cb != nil && len(s.queued) > 0 { // events queued before: the script's callback's
		ev := s.queued[0]
		s.queued = s.queued[1:]
		return dtmfInput{ev: ev}, true
	}
	return dtmfInput{}, false
}

// mediaInput hands one digit to the media call's callback: the host's
// own, else the script's.
func (s *luaSession) mediaInput(L *lua.LState, m *mediaCall, d dtmfInput) string {
	if m.goCB != nil {
		return m.goCB(d)
	}
	return s.runInput(L, m.cb, d)
}

// playWith runs a media application (playback, phrase) handing each digit
// to cb as an input callback would get it (cb returns the callback
// result: "break" stops the application). It reports whether cb stopped
// it, and the failure text when the call is gone.
func (s *luaSession) playWith(L *lua.LState, app, arg string, cb func(dtmfInput) string) (stopped bool, why string) {
	if why := s.usable(L, true); why != "" {
		return false, why
	}
	m := &mediaCall{goCB: cb, app: app, file: app == "playback", mark: s.lastBacklog()}
	if s.feedInput(L, m); m.stopped {
		return true, ""
	}
	_, why = s.executeMedia(L, m, arg)
	return m.stopped, why
}

// runInput calls the callback; a failure is logged and stops the media
// call (mod_lua's "SCRIPT_ERROR").
func (s *luaSession) runInput(L *lua.LState, cb *inputCallback, d dtmfInput) string {
	ret, err := s.callInput(L, cb, d)
	if err != nil {
		s.rt.logger().Error("bindings: input callback failed", append(runArgs(s.rt), "error", err.Error())...)
		return "SCRIPT_ERROR"
	}
	return ret
}

// applyInput acts on a callback result.
func (s *luaSession) applyInput(m *mediaCall, ret string) {
	switch classifyInput(ret, m.file) {
	case inputFileOp:
		s.fileman(m, ret)
	case inputTruncate:
		s.fileman(m, "truncate")
		m.stopped = true
	case inputStop:
		m.stopped = true
	}
}

// fileman sends a file command while the app runs (there is no file
// handle before or after).
func (s *luaSession) fileman(m *mediaCall, cmd string) {
	if m.phase != collectRunning {
		return
	}
	if _, why := s.api("uuid_fileman " + s.uuid + " " + cmd); why != "" {
		s.rt.logger().Warn("bindings: uuid_fileman failed", append(runArgs(s.rt), "error", why)...)
	}
}

// breakDue sends uuid_break for a stopped call whose app is running: not
// before its CHANNEL_EXECUTE, nor after its completion, where it would
// break the next application instead.
func (s *luaSession) breakDue(m *mediaCall) {
	if !m.stopped || m.broken || m.app == "" || m.phase == collectPending {
		return
	}
	m.broken = true
	if m.phase != collectRunning {
		return
	}
	if _, why := s.api("uuid_break " + s.uuid); why != "" {
		s.rt.logger().Warn("bindings: uuid_break failed", append(runArgs(s.rt), "error", why)...)
	}
}
