package bindings

import (
	"slices"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// findEvent removes and returns the oldest event named name (Event-Name,
// or Event-Subclass for CUSTOM events): of the session's queued events,
// else of the backlog.
func (s *luaSession) findEvent(name string) *esl.Event {
	named := func(ev *esl.Event) bool {
		return ev.Name() == name || (ev.Name() == "CUSTOM" && ev.Subclass() == name)
	}
	if i := slices.IndexFunc(s.queued, named); i >= 0 {
		ev := s.queued[i]
		s.queued = slices.Delete(s.queued, i, i+1)
		return ev
	}
	i := slices.IndexFunc(s.backlog, named)
	if i < 0 {
		return nil
	}
	ev := s.backlog[i]
	s.backlog = slices.Delete(s.backlog, i, i+1)
	s.blBytes -= ev.Size()
	return ev
}

// waitForEvent implements session:waitForEvent(name[, timeout_ms]) ->
// event | nil, "timeout" | nil, "hangup". It returns the oldest event of
// that name received since it was last returned or since flushEvents (the
// host keeps the last 64 events of the call, or fewer when they add up to
// more than 128 KiB; DTMF excepted: use waitForDtmf), so an event that
// arrived during an execute is not missed.
func (s *luaSession) waitForEvent(L *lua.LState) int {
	name, ms := L.CheckString(2), optInt(L, 3, 0)
	var found *esl.Event
	cond := func() bool {
		found = s.findEvent(name)
		return found != nil
	}
	s.refresh(L)
	if err := s.wait(L, waitFor{cond: cond, timeout: s.after(ms), hangup: true}); err != nil {
		return failure(L, errText(err))
	}
	L.Push(pushEvent(L, found))
	return 1
}

// flushEvents implements session:flushEvents(): forget the backlog and the
// session's queued events.
func (s *luaSession) flushEvents(L *lua.LState) int {
	s.pump()
	clear(s.backlog)
	s.backlog, s.blBytes = s.backlog[:0], 0
	clear(s.queued)
	s.queued = s.queued[:0]
	return 0
}
