package bindings

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// Call legs: freeswitch.Session(str[, a_leg]) and freeswitch.bridge.
//
// Over ESL a script owns a call leg through one extra inbound connection
// per leg (LegDialer.Attach: "myevents <uuid>", then sendmsg <uuid>).
// str without "/" attaches to that existing call; otherwise the leg is
// originated first with "bgapi originate {origination_uuid=<new>,
// originate_timeout=60}<str> &park()" on the run's commander. A failed originate
// gives a session whose ready() is false and hangupCause() is
// FreeSWITCH's cause (e.g. USER_BUSY); a failed attach gives one whose
// hangupCause() is "NONE". As under mod_lua, an originated leg calls with
// a_leg's caller id (a session object: the script's call or another leg),
// or without a_leg with FreeSWITCH's default (0000000000, empty name),
// unless str sets origination_caller_id_*; nothing else of a_leg is used
// (no variable inheritance or ringback to the A leg over ESL).
//
// Legs exist only between SetLegDialer and the Runtime's End (the host
// brackets each call script with them). End hangs up the originated legs
// still up (mod_lua's S_HUP; setAutoHangup(false) keeps one up), never
// the attached ones, and closes every leg's connection.

// LegDialer opens the control connection of an existing call.
// *esl.Client satisfies it (Attach).
type LegDialer interface {
	Attach(ctx context.Context, uuid string) (*esl.Session, error)
}

const legSetKey = "eslscript.legs"

// Time limits of leg handling.
const (
	// originateWait bounds the wait for the originate job, a little
	// longer than the originate_timeout we send.
	originateWait = 65 * time.Second
	// legHangupWait bounds each auto-hangup at the Runtime's End.
	legHangupWait = 5 * time.Second
)

// legSet is the legs a state's script made during one call.
type legSet struct {
	dialer LegDialer
	legs   []*leg
	away   []*luaSession // the script's call, once bridged (see fsBridge)
}

// leg is one call leg owned by the script.
type leg struct {
	ls   *luaSession
	sess *esl.Session // nil for a failed leg
	// autoHangup is S_HUP: set on originated legs.
	autoHangup bool
	closed     bool
}

// SetLegDialer lets the script running on L own call legs through d
// until its Runtime's End (or Close), which ends them (closeLegs). Call
// it from the goroutine that owns L, whose modules were preloaded with a
// Runtime (Registry.Preload).
func SetLegDialer(L *lua.LState, d LegDialer) {
	rt := runtimeOf(L)
	if rt == nil {
		panic("bindings: SetLegDialer on a state without a Runtime")
	}
	ud := L.NewUserData()
	ud.Value = &legSet{dialer: d}
	L.G.Registry.RawSetString(legSetKey, ud)
	rt.OnEnd(func() { closeLegs(L) })
}

// closeLegs ends the legs the script of L made since SetLegDialer:
// originated legs still up are hung up with NORMAL_CLEARING (unless the
// script called setAutoHangup(false)), and every leg's connection is
// closed; the script's own call, if freeswitch.bridge took it out of its
// socket application and it is still up, is hung up too. Afterwards
// freeswitch.Session is refused until the next SetLegDialer.
func closeLegs(L *lua.LState) {
	set := legSetOf(L)
	if set == nil {
		return
	}
	L.G.Registry.RawSetString(legSetKey, lua.LNil)
	for _, lg := range set.legs {
		lg.close(true)
	}
	for _, s := range set.away {
		if s.pump(); !s.down && !s.transferred {
			_, _ = s.api("uuid_kill " + s.uuid + " NORMAL_CLEARING")
		}
	}
}

// legSetOf returns the state's leg set, nil outside SetLegDialer.
func legSetOf(L *lua.LState) *legSet {
	if ud, ok := L.G.Registry.RawGetString(legSetKey).(*lua.LUserData); ok {
		set, _ := ud.Value.(*legSet)
		return set
	}
	return nil
}

// forget drops the leg of a session object (an empty leg that became
// another by sess:originate).
func (set *legSet) forget(ls *luaSession) {
	for i, lg := range set.legs {
		if lg.ls == ls {
			set.legs = append(set.legs[:i], set.legs[i+1:]...)
			return
		}
	}
}

// find returns the leg of a session object, nil for other sessions.
func (set *legSet) find(ls *luaSession) *leg {
	for _, lg := range set.legs {
		if lg.ls == ls {
			return lg
		}
	}
	return nil
}

// close hangs the leg up when hangup is set and it is an originated leg
// still up, then closes its connection. It runs once.
func (lg *leg) close(hangup bool) {
	if lg.closed || lg.sess == nil {
		lg.closed = true
		return
	}
	lg.closed = true
	if hangup && lg.autoHangup && !lg.ls.transferred && !isClosed(lg.sess.HungUp()) {
		ctx, cancel := context.WithTimeout(context.Background(), legHangupWait)
		_, _ = lg.sess.API(ctx, "uuid_kill "+lg.sess.UUID()+" NORMAL_CLEARING")
		cancel()
	}
	_ = lg.sess.Close()
}

// isClosed reports whether ch is closed, without blocking.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// fsNewSession implements freeswitch.Session(str[, a_leg]).
func fsNewSession(L *lua.LState, rt *Runtime) int {
	set := legSetOf(L)
	if set == nil || set.dialer == nil {
		L.RaiseError("freeswitch.Session is not supported by eslscript here: call legs are only available to call scripts")
	}
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		L.Push(set.failed(L, rt, "NONE")) // empty: sess:originate() fills it
		return 1
	}
	str := strings.TrimSpace(L.CheckString(1))
	if !strings.Contains(str, "/") {
		L.Push(set.attach(L, rt, str, false))
		return 1
	}
	leg := set.originate(L, rt, str, callerIDOf(L.Get(2)))
	tellCaller(L, L.Get(2), leg)
	L.Push(leg)
	return 1
}

// tellCaller does to the A leg of an originate (a_leg, when it is a
// session object with a call) what FreeSWITCH's originate does to its
// caller: originate_disposition is the outcome (SUCCESS, USER_BUSY...),
// DIALSTATUS its dial status (BUSY, NOANSWER, CANCEL, INVALIDARGS,
// DONTCALL, else the cause), and an A leg not answered yet is answered
// once the leg answered. Failures are logged.
func tellCaller(L *lua.LState, aLeg, leg lua.LValue) {
	a := sessionOf(aLeg)
	ls := sessionOf(leg)
	if a == nil || ls == nil || a.uuid == "" {
		return
	}
	if a.refresh(L); a.down {
		return
	}
	cause := ls.hangupCause()
	for _, kv := range [][2]string{{"originate_disposition", cause}, {"DIALSTATUS", esl.DialStatus(cause)}} {
		if _, why := a.api("uuid_setvar " + a.uuid + " " + kv[0] + " " + kv[1]); why != "" {
			a.rt.logger().Warn("bindings: setting the caller's originate variables failed", append(runArgs(a.rt), "error", why)...)
			return
		}
	}
	if cause == "SUCCESS" && !a.answered {
		if _, why := a.api("uuid_answer " + a.uuid); why == "" {
			a.answered = true
		}
	}
}

// sessionOf returns the session behind a session object, nil for another
// value.
func sessionOf(v lua.LValue) *luaSession {
	if ud, ok := v.(*lua.LUserData); ok {
		s, _ := ud.Value.(*luaSession)
		return s
	}
	return nil
}

// originate originates str parked under a uuid of ours, then attaches.
func (set *legSet) originate(L *lua.LState, rt *Runtime, str string, cid callerID) lua.LValue {
	return set.originateWithin(L, rt, str, cid, defaultOriginateTimeout)
}

// callerID is the caller id an originated leg calls with.
type callerID struct{ name, number string }

// defaultCallerID is FreeSWITCH's caller id for an originate without a
// session (SWITCH_DEFAULT_CLID_NAME, SWITCH_DEFAULT_CLID_NUMBER).
var defaultCallerID = callerID{name: "", number: "0000000000"}

// callerIDOf returns the caller id of the session object v (a_leg): its
// effective_caller_id_* variables, else its caller profile's, from its
// last known variables; defaultCallerID when v is not a session.
func callerIDOf(v lua.LValue) callerID {
	ud, ok := v.(*lua.LUserData)
	if !ok {
		return defaultCallerID
	}
	ls, ok := ud.Value.(*luaSession)
	if !ok || ls.vars == nil {
		return defaultCallerID
	}
	pick := func(effective, profile string) string {
		if v, ok := ls.vars.Lookup(effective); ok && v != "" {
			return v
		}
		return ls.vars.Get(profile)
	}
	return callerID{
		name:   pick("variable_effective_caller_id_name", "Caller-Caller-ID-Name"),
		number: pick("variable_effective_caller_id_number", "Caller-Caller-ID-Number"),
	}
}

// originateWithin is originate with FreeSWITCH's originate timeout set to
// timeout seconds.
func (set *legSet) originateWithin(L *lua.LState, rt *Runtime, str string, cid callerID, timeout int) lua.LValue {
	if rt.scope.esl == nil {
		L.RaiseError("%s", ErrNoESL.Error())
	}
	uuid := esl.NewUUID()
	job, err := rt.scope.esl.BgAPI(rt.ctx(), originateLine(uuid, str, cid, timeout))
	if err != nil {
		return set.failed(L, rt, errCause(err))
	}
	wait := time.Duration(timeout)*time.Second + originateWait - defaultOriginateTimeout*time.Second
	if err := block(L, rt, job.Done(), rt.after(int(wait/time.Millisecond), true)); err != nil {
		go killWhenUp(rt.scope.esl, job, uuid)
		return set.failed(L, rt, "ORIGINATOR_CANCEL")
	}
	out, err := job.Wait(context.Background())
	if err != nil {
		return set.failed(L, rt, errCause(err))
	}
	if !strings.HasPrefix(strings.TrimSpace(out), "+OK") {
		return set.failed(L, rt, "NONE")
	}
	return set.attach(L, rt, uuid, true)
}

// defaultOriginateTimeout is mod_lua's originate timeout, in seconds.
const defaultOriginateTimeout = 60

// originateLine is "originate {origination_uuid=U,originate_timeout=T,
// origination_caller_id_number=N,origination_caller_id_name='M'}str
// &park()" (a caller id field str sets itself is left out); variables str
// starts with join ours in the same block.
func originateLine(uuid, str string, cid callerID, timeout int) string {
	vars := "origination_uuid=" + uuid + ",originate_timeout=" + strconv.Itoa(timeout)
	if !strings.Contains(str, "origination_caller_id_number=") {
		vars += ",origination_caller_id_number=" + originateValue(cid.number)
	}
	if !strings.Contains(str, "origination_caller_id_name=") {
		vars += ",origination_caller_id_name=" + originateValue(cid.name)
	}
	if rest, ok := strings.CutPrefix(str, "{"); ok {
		if !strings.HasPrefix(rest, "}") {
			vars += ","
		}
		return "originate {" + vars + rest + " &park()"
	}
	return "originate {" + vars + "}" + str + " &park()"
}

// originateValue quotes a value of an originate {} block: single quotes
// (which also keep commas and spaces), with ' and \ escaped.
func originateValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// errCause is the originate cause of a failed job ("-ERR USER_BUSY").
func errCause(err error) string {
	if t := errText(err); t != "" && !strings.ContainsAny(t, " :") {
		return t
	}
	return "NONE"
}

// killWhenUp hangs up a leg whose originate we stopped waiting for, if
// it succeeds after all.
func killWhenUp(c Commander, job *esl.Job, uuid string) {
	ctx, cancel := context.WithTimeout(context.Background(), originateWait)
	defer cancel()
	if out, err := job.Wait(ctx); err == nil && strings.HasPrefix(out, "+OK") {
		_, _ = c.API(ctx, "uuid_kill "+uuid+" ORIGINATOR_CANCEL")
	}
}

// attach opens the leg's connection and returns its session object; on
// failure an originated leg is hung up and a failed leg returned.
func (set *legSet) attach(L *lua.LState, rt *Runtime, uuid string, originated bool) lua.LValue {
	sess, err := set.dialer.Attach(rt.ctx(), uuid)
	if err != nil {
		rt.logger().Warn("bindings: freeswitch.Session: cannot attach to the call",
			append(runArgs(rt), "leg", uuid, "error", err.Error())...)
		if originated && rt.scope.esl != nil {
			_, _ = rt.scope.esl.API(rt.ctx(), "uuid_kill "+uuid)
		}
		return set.failed(L, rt, "NONE")
	}
	return set.add(L, rt, WrapSession(sess, nil), sess, originated)
}

// failed returns a not-ready leg whose hangupCause() is cause.
func (set *legSet) failed(L *lua.LState, rt *Runtime, cause string) lua.LValue {
	ud := set.add(L, rt, newDeadCall(cause), nil, false)
	ud.(*lua.LUserData).Value.(*luaSession).originated = cause
	return ud
}

// add makes the leg's session object and remembers the leg; an
// originated leg's hangupCause() is SUCCESS, as after mod_lua's originate.
func (set *legSet) add(L *lua.LState, rt *Runtime, call Call, sess *esl.Session, originated bool) lua.LValue {
	ud := NewSession(L, rt, call).(*lua.LUserData)
	ud.Metatable = legMetatable(L)
	ls := ud.Value.(*luaSession)
	if originated {
		ls.originated = "SUCCESS"
	}
	set.legs = append(set.legs, &leg{ls: ls, sess: sess, autoHangup: originated})
	return ud
}

// markCallDown marks down every other leg object of the call uuid (a
// script may hold two objects of one call: an originated leg and the same
// call attached by uuid), so that each sees a hangup made through another
// at once, as mod_lua's objects share the channel.
func markCallDown(L *lua.LState, uuid string, except *luaSession) {
	set := legSetOf(L)
	if set == nil || uuid == "" {
		return
	}
	for _, lg := range set.legs {
		if lg.ls != except && lg.ls.uuid == uuid {
			lg.ls.markDown("hangup")
		}
	}
}
