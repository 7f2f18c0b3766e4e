package test

import (
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessCleanupScript plays a tone until the caller hangs up, then reaches
// FreeSWITCH every way a script can (esl.api, esl.bgapi and its job,
// esl.originate and esl.hangup, esl.fire, freeswitch.API():executeString,
// freeswitch.Event():fire()) and logs what each returned.
const sessCleanupScript = `
local esl = require("esl")
local log = require("log")
local freeswitch = require("freeswitch")
local function s(a, b) return tostring(a) .. "|" .. tostring(b) end
return { session = function(session)
  session:answer()
  local r = {}
  r.media = s(session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
  r.api = s(esl.api("eval api-ok"))
  local job, jerr = esl.bgapi("eval bgapi-ok")
  if job then r.bgapi = s(job:wait(10000)) else r.bgapi = s(nil, jerr) end
  local leg, oerr = esl.originate("loopback/park", "&park")
  r.originate = s(leg ~= nil, oerr)
  if leg then r.kill = s(esl.hangup(leg)) end
  local id, ferr = esl.fire("e2e::session_cleanup", { call = session.uuid })
  r.fire = s(id ~= nil, ferr)
  r.fsapi = freeswitch.API():executeString("eval fsapi-ok")
  local ev = freeswitch.Event("CUSTOM", "e2e::session_cleanup")
  ev:addHeader("call", session.uuid)
  r.event = tostring(ev:fire())
  log.info("cleanup done", r)
end }`

// After the caller hangs up, every way to reach FreeSWITCH still works
// (only the call's own media calls end): the cleanup code that runs under
// mod_lua runs here too.
func TestRealSessionCleanupAfterHangupReachesFreeSWITCH(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"cleanup.lua": sessCleanupScript}), "cleanup")
	a := d.call(t, "", nil)
	rec.Wait(t, waitReal, "the tone on the b-leg of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
		return ev.Get("variable_other_loopback_leg_uuid") == a
	}))
	fs.MustAPI(t, "uuid_kill "+a)
	rec.Hangup(t, a, waitReal)
	b := rec.BLegUUID(a)
	l := d.waitLog("the cleanup of "+b, msg("cleanup done", "call", b))
	want := map[string]string{
		"api": "api-ok|nil", "bgapi": "bgapi-ok|nil", "originate": "true|nil",
		"kill": "true|nil", "fire": "true|nil", "fsapi": "fsapi-ok", "event": "true",
	}
	for k, v := range want {
		if got := l.str(k); got != v {
			t.Errorf("%s after the hangup: got %q, want %q", k, got, v)
		}
	}
	waitCallsGone(t, fs, rec, []string{a}, waitReal)
}
