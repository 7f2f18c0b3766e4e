package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessInputLua plays a tone with an input callback that breaks on the
// first digit; run by FreeSWITCH's mod_lua and by eslscript alike
// (argv[1] is the report tag, see sessResultsLua).
const sessInputLua = `
local tag = argv[1]
local function report(name, v)
  freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " " .. name .. "=" .. tostring(v) .. "\n")
end
function on_input(s, kind, obj)
  got = (got or "") .. obj.digit
  return "break"
end
session:answer()
session:setInputCallback("on_input")
report("stream", session:streamFile("tone_stream://%(1000,0,440);loops=-1"))
report("got", got)
report("ready", session:ready())
session:hangup()
`

// sessRun places a call running the shared Lua body under eslscript
// (listener default script) or under FreeSWITCH's mod_lua (extension
// lua_<luaName>), calls during(a-leg uuid, b-leg uuid) once the b-leg
// plays, and returns the SESSRESULT values of the call once "last" was
// reported.
func sessRun(t *testing.T, d *realDaemon, rec *realfs.Recorder, engine, luaName, vars, last string, during func(a, b string)) map[string]string {
	t.Helper()
	tag := realToken(t)
	var a string
	if engine == "eslscript" {
		a = sessOriginate(t, d, vars+"eslscript_argv="+tag, "&park")
	} else {
		a = sessOriginateExt(t, d.fs, vars+"lua_args="+tag, "lua_"+luaName, "&park")
	}
	start := rec.Wait(t, waitReal, "the b-leg playing, of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
		return ev.Get("variable_other_loopback_leg_uuid") == a
	}))
	during(a, start.Get("Unique-ID"))
	rec.Hangup(t, a, waitReal)
	var lines []string
	if engine == "eslscript" {
		d.waitLog("the report of "+tag, func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" "+last+"=") })
		for _, l := range d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" ") }) {
			lines = append(lines, l.str("msg"))
		}
	} else {
		lines = d.fs.Log("SESSRESULT " + tag + " ")
	}
	got := sessResults(lines, tag)
	for k, v := range got { // mod_lua prints Lua 5.3+ integers as floats
		got[k] = strings.TrimSuffix(v, ".0")
	}
	return got
}

// A streamFile that the input callback breaks returns 0, as mod_lua's.
func TestRealSessionStreamFileBrokenByCallback(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_input", sessInputLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/input.lua": sessInputLua}), "mod_lua/input")
	for _, engine := range []string{"eslscript", "mod_lua"} {
		got := sessRun(t, d, rec, engine, "sess_input", "", "ready", func(_, b string) {
			fs.MustAPI(t, "uuid_recv_dtmf "+b+" 5")
		})
		want := map[string]string{"stream": "0", "got": "5", "ready": "true"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", engine, k, got[k], v)
			}
		}
	}
}

// sessTypeAheadLua lets the caller type during a prompt, then collects two
// digits; run by FreeSWITCH's mod_lua and by eslscript alike.
const sessTypeAheadLua = `
local tag = argv[1]
session:answer()
session:streamFile("tone_stream://%(1500,0,440)")
local d = session:playAndGetDigits(2, 2, 1, 3000, "#", "tone_stream://%(3000,0,440)", "", "\\d+")
freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " digits=" .. tostring(d) .. "\n")
session:hangup()
`

// Digits typed ahead of playAndGetDigits (during the prompt before it)
// reach it, and FreeSWITCH reports each of them once: consumers see one
// DTMF event per digit, as under mod_lua (they were handed back to
// FreeSWITCH, which fired every DTMF event twice).
func TestRealSessionTypeAheadReportedOnce(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_typeahead", sessTypeAheadLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/typeahead.lua": sessTypeAheadLua}), "mod_lua/typeahead")
	for _, engine := range []string{"eslscript", "mod_lua"} {
		var b string
		got := sessRun(t, d, rec, engine, "sess_typeahead", "", "digits", func(_, leg string) {
			b = leg
			fs.MustAPI(t, "uuid_recv_dtmf "+leg+" 57")
		})
		if got["digits"] != "57" {
			t.Errorf("%s: playAndGetDigits = %q, want 57", engine, got["digits"])
		}
		var digits []string
		for _, ev := range rec.Events(realfs.Named("DTMF", func(ev realfs.Event) bool { return ev.Get("Unique-ID") == b })) {
			digits = append(digits, ev.Get("DTMF-Digit"))
		}
		if strings.Join(digits, ",") != "5,7" {
			t.Errorf("%s: DTMF events %v, want 5,7 (each digit once)", engine, digits)
		}
	}
}
