package bindings

import (
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Limits of the host-side queues of a session. The event backlog keeps the
// last maxEventQueue events, fewer when they add up to more than
// maxEventBytes: real channel events carry every variable of the call (up
// to ~14 KB each), and a parked call should not pin a megabyte of them.
const (
	maxDTMFQueue  = 128
	maxEventQueue = 64
	maxEventBytes = 128 << 10
)

// Lua-facing failure texts of a session.
const (
	errTextHangup      = "hangup"
	errTextTransferred = "transferred"
	// errTextNoReply is ESL's "-ERR no reply": the api command's output was
	// empty (uuid_getvar of a variable whose value is "").
	errTextNoReply = "no reply"
)

// luaSession is the Go side of a session object. Every field is touched
// only by the goroutine owning the Lua state.
type luaSession struct {
	rt   *Runtime
	call Call
	uuid string
	self lua.LValue

	events <-chan *esl.Event // nil once closed
	hupCh  <-chan struct{}   // nil once seen

	dtmf    []string     // host DTMF FIFO (type-ahead)
	queued  []*esl.Event // the call's session-queue events (see queuedEvent)
	backlog []*esl.Event // recent non-DTMF events for waitForEvent
	blBytes int          // sum of the backlog events' Size
	vars    *esl.Event   // latest event of the call with its variables (see keepVars)

	down, transferred        bool
	answered, early, bridged bool
	state, cause             string
	originated               string // the cause of the originate that made a leg

	hook  hangupHook
	input *inputCallback // setInputCallback state (nil: none)
	tts   [2]string      // engine, voice
	coll  *collector     // FreeSWITCH-side digit collector being executed
	// diverted: divert_events was asked for (the call's socket receives
	// the events queued to the session).
	diverted bool
	private  map[string]lua.LValue // setPrivate
	// since is the Event-Sequence of the connect reply's CHANNEL_DATA (0:
	// unknown): see stale.
	since uint64
	// bridgeSeq and parkSeq are the Event-Sequence of the call's last
	// CHANNEL_BRIDGE and CHANNEL_PARK (see fsBridge).
	bridgeSeq, parkSeq uint64
}

func newLuaSession(rt *Runtime, call Call) *luaSession {
	s := &luaSession{rt: rt, call: call, uuid: call.UUID(),
		events: call.Events(), hupCh: call.HungUp(), state: "CS_EXECUTE"}
	if data := call.ChannelData(); data != nil {
		s.vars = data
		s.track(data)
		s.since = eventSeq(data)
	}
	return s
}

// eventSeq is ev's Event-Sequence, 0 when it has none.
func eventSeq(ev *esl.Event) uint64 {
	n, _ := strconv.ParseUint(ev.Get("Event-Sequence"), 10, 64)
	return n
}

// stale reports an event FreeSWITCH made before the call reached this
// socket (its Event-Sequence is below the connect reply's): FreeSWITCH
// delivers events from a queue, so under load the socket can still get,
// after the connect, the CHANNEL_STATE CS_ROUTING of the dialplan that ran
// the socket application. It says nothing of the call's state now.
func (s *luaSession) stale(ev *esl.Event) bool {
	if s.since == 0 {
		return false
	}
	n := eventSeq(ev)
	return n != 0 && n < s.since
}

// pump handles every event already queued, without blocking.
func (s *luaSession) pump() {
	for s.events != nil {
		select {
		case ev, ok := <-s.events:
			s.receive(ev, ok)
		default:
			return
		}
	}
}

// receive handles one read from the events channel.
func (s *luaSession) receive(ev *esl.Event, ok bool) {
	if !ok {
		s.events = nil
		s.markDown("hangup")
		return
	}
	s.track(ev)
	if ev.Name() == "DTMF" {
		if !s.coll.consumes() {
			s.dtmf = appendBounded(s.dtmf, ev.Get("DTMF-Digit"), maxDTMFQueue)
		}
		return
	}
	if s.diverted && queuedEvent(ev) {
		s.queued = appendBounded(s.queued, namedQueued(ev), maxEventQueue)
		return
	}
	s.keepVars(ev)
	s.keepEvent(ev)
}

// queuedEvent reports an event that was queued to the session rather than
// fired (an event sent with the call's Unique-ID, DETECTED_SPEECH without
// fire_asr_events...), which the socket receives with divert_events on:
// FreeSWITCH stamps every event it fires (Event-Date-Timestamp, Core-UUID)
// and none it queues. Under mod_lua such events go to the input callback.
// The call's own channel and media events are never queued ones.
func queuedEvent(ev *esl.Event) bool {
	if _, fired := ev.Lookup("Event-Date-Timestamp"); fired {
		return false
	}
	switch name := queuedName(ev); {
	case name == "", strings.HasPrefix(name, "CHANNEL_"), strings.HasPrefix(name, "PLAYBACK_"),
		strings.HasPrefix(name, "RECORD_"), name == "DTMF", name == "CALL_UPDATE":
		return false
	}
	return true
}

// queuedName is a queued event's name: an event sent with sendevent and
// queued to the call has no Event-Name header (FreeSWITCH adds it when it
// fires an event), only its command line ("sendevent CUSTOM").
func queuedName(ev *esl.Event) string {
	if name := ev.Name(); name != "" {
		return name
	}
	if name, ok := strings.CutPrefix(ev.Get("Command"), "sendevent "); ok {
		return strings.ToUpper(strings.TrimSpace(name))
	}
	return ""
}

// namedQueued returns ev with its Event-Name header, a copy when it had
// none (see queuedName).
func namedQueued(ev *esl.Event) *esl.Event {
	if ev.Name() != "" {
		return ev
	}
	c := ev.Clone()
	c.Add("Event-Name", queuedName(ev))
	return c
}

// keepVars keeps ev as the call's latest variables when it is an event of
// this channel that carries them: FreeSWITCH puts every channel variable
// (variable_*) on most channel events, but not on CHANNEL_STATE or
// CHANNEL_CALLSTATE, and a BACKGROUND_JOB of the call has none.
func (s *luaSession) keepVars(ev *esl.Event) {
	if ev.UniqueID() != s.uuid {
		return
	}
	if _, ok := ev.Lookup("variable_uuid"); ok {
		s.vars = ev
	}
}

// keepEvent appends ev to the backlog, dropping the oldest events while it
// holds more than maxEventQueue events or maxEventBytes bytes (the newest
// event is always kept).
func (s *luaSession) keepEvent(ev *esl.Event) {
	s.backlog = append(s.backlog, ev)
	s.blBytes += ev.Size()
	drop := 0
	for len(s.backlog)-drop > 1 && (len(s.backlog)-drop > maxEventQueue || s.blBytes > maxEventBytes) {
		s.blBytes -= s.backlog[drop].Size()
		drop++
	}
	if drop > 0 {
		n := copy(s.backlog, s.backlog[drop:])
		clear(s.backlog[n:])
		s.backlog = s.backlog[:n]
	}
}

func appendBounded[T any](q []T, v T, limit int) []T {
	if len(q) >= limit {
		q = append(q[:0], q[1:]...)
	}
	return append(q, v)
}

// track updates the call state from one event. Any event built after the
// hangup began (Answer-State: hangup) marks the call down, whatever order
// it and CHANNEL_HANGUP arrive in.
func (s *luaSession) track(ev *esl.Event) {
	if s.stale(ev) {
		return
	}
	if v, ok := ev.Lookup("Answer-State"); ok {
		s.answered = s.answered || v == "answered"
		s.early = s.early || v == "early"
		if v == "hangup" {
			s.markDown("hangup")
		}
	}
	if v, ok := ev.Lookup("Channel-State"); ok && v != "" {
		s.state = v
	}
	switch ev.Name() {
	case "CHANNEL_BRIDGE":
		s.bridged, s.bridgeSeq = true, eventSeq(ev)
	case "CHANNEL_PARK":
		s.parkSeq = eventSeq(ev)
	case "CHANNEL_UNBRIDGE":
		s.bridged = false
	case "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE":
		s.markDown("hangup")
	case "CHANNEL_STATE":
		s.trackState(ev.Get("Channel-State"))
	case "CHANNEL_EXECUTE":
		s.noteExecute(ev)
	case "CHANNEL_EXECUTE_COMPLETE":
		s.coll.noteComplete(ev)
	}
}

// trackState turns CS_ROUTING (a transfer) and CS_HANGUP into not-ready.
func (s *luaSession) trackState(state string) {
	switch state {
	case "CS_ROUTING":
		s.markTransferred()
	case "CS_HANGUP":
		s.markDown("hangup")
	}
}

func (s *luaSession) markDown(reason string) {
	if !s.down {
		s.down = true
		s.hook.trigger(reason)
	}
}

func (s *luaSession) markTransferred() {
	if !s.transferred {
		s.transferred = true
		s.hook.trigger("transfer")
	}
}

// checkHangup notices a closed HungUp channel without blocking.
func (s *luaSession) checkHangup() {
	if s.hupCh == nil {
		return
	}
	select {
	case <-s.hupCh:
		s.hungUp()
	default:
	}
}

// hungUp handles HungUp closing: the events already queued are handled
// first so that nothing before the hangup is lost.
func (s *luaSession) hungUp() {
	s.hupCh = nil
	s.pump()
	s.markDown("hangup")
}

// refresh brings the state up to date and runs a due hangup hook.
func (s *luaSession) refresh(L *lua.LState) {
	s.pump()
	s.checkHangup()
	s.runHook(L)
}

// usable refreshes the state and returns the failure text that stops a
// call now ("" when the call may proceed). media calls also stop after a
// transfer.
func (s *luaSession) usable(L *lua.LState, media bool) string {
	s.refresh(L)
	switch {
	case s.down:
		return errTextHangup
	case media && s.transferred:
		return errTextTransferred
	}
	return ""
}

// hangupCause is mod_lua's session:hangupCause(): the cause of the
// originate that made the session (SUCCESS, USER_BUSY...; see
// legSet.add), and "NONE" for every other session, the script's call
// included, whatever happens to the call later (mod_lua fills the cause
// only when it originates; read the variable hangup_cause for the call's).
func (s *luaSession) hangupCause() string {
	if s.originated != "" {
		return s.originated
	}
	return "NONE"
}

var stateMethods = map[string]func(*luaSession, *lua.LState) int{
	"ready":         (*luaSession).luaReady,
	"answered":      boolMethod(func(s *luaSession) bool { return s.answered }),
	"bridged":       boolMethod(func(s *luaSession) bool { return s.bridged && !s.down }),
	"mediaReady":    boolMethod(func(s *luaSession) bool { return (s.answered || s.early) && !s.down }),
	"getState":      strMethod(func(s *luaSession) string { return s.state }),
	"hangupCause":   strMethod((*luaSession).hangupCause),
	"get_uuid":      strMethod((*luaSession).getUUID),
	"consoleLog":    (*luaSession).consoleLog,
	"setAutoHangup": func(*luaSession, *lua.LState) int { return 0 },
	"destroy":       (*luaSession).destroy,
}

// destroy implements session:destroy([err]) on the script's call: as
// under mod_lua the object lets the call go (the call goes on; the object
// then acts as after a hangup: ready() false, media calls nil, "hangup"),
// and with err it raises err. (A leg's destroy also hangs it up: see
// legDestroy.)
func (s *luaSession) destroy(L *lua.LState) int {
	s.down = true
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		L.RaiseError("%s", L.ToStringMeta(L.Get(2)).String())
	}
	return 0
}

func boolMethod(fn func(*luaSession) bool) func(*luaSession, *lua.LState) int {
	return func(s *luaSession, L *lua.LState) int {
		s.refresh(L)
		L.Push(lua.LBool(fn(s)))
		return 1
	}
}

func strMethod(fn func(*luaSession) string) func(*luaSession, *lua.LState) int {
	return func(s *luaSession, L *lua.LState) int {
		s.refresh(L)
		L.Push(lua.LString(fn(s)))
		return 1
	}
}

// getUUID is mod_lua's get_uuid(): "uninitialized" for a session that is
// no call (an empty or failed leg).
func (s *luaSession) getUUID() string {
	if s.uuid == "" {
		return "uninitialized"
	}
	return s.uuid
}

// luaReady implements session:ready(): false after the hangup, the
// socket's end, or a transfer.
func (s *luaSession) luaReady(L *lua.LState) int {
	s.refresh(L)
	L.Push(lua.LBool(!s.down && !s.transferred))
	return 1
}

// consoleLog implements session:consoleLog(level, msg) on the host logger,
// with the levels of freeswitch.consoleLog; the line names the session's
// call (a leg's own uuid in a call script).
func (s *luaSession) consoleLog(L *lua.LState) int { return s.logAt(L, 3) }

// logAt logs the message at argument msgArg with the level at argument 2,
// naming the session's call.
func (s *luaSession) logAt(L *lua.LState, msgArg int) int {
	name, lvl := fsLevel(optStr(L, 2, "debug"))
	sc := s.rt.scope
	if s.uuid != "" {
		sc.call = s.uuid
	}
	fsLog(s.rt, sc, lvl, optStr(L, msgArg, ""), name)
	return 0
}
