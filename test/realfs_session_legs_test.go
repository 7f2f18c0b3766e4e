package test

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessLegLua originates two legs (loopback/park), with and without the
// script's call as a_leg, and reports their uuids; run by
// FreeSWITCH's mod_lua and by eslscript alike (argv[1] is the tag).
const sessLegLua = `
local tag = argv[1]
local function report(name, v)
  freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " " .. name .. "=" .. tostring(v) .. "\n")
end
session:answer()
local leg = freeswitch.Session("loopback/park", session)
report("a_uuid", leg:get_uuid())
leg:hangup()
local bare = freeswitch.Session("loopback/park")
report("uuid", bare:get_uuid())
bare:hangup()
report("done", "yes")
session:hangup()
`

// A leg originated from a call script calls with the caller id mod_lua's
// would (what the called party sees): the a_leg's (the script's call),
// else FreeSWITCH's default. (The leg's own caller profile differs: see
// README, freeswitch.Session.)
func TestRealSessionLegCallerID(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_leg", sessLegLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/leg.lua": sessLegLua}), "mod_lua/leg")
	vars := "origination_caller_id_number=4005551234,origination_caller_id_name='Ann Smith',"
	for _, engine := range []string{"eslscript", "mod_lua"} {
		tag := realToken(t)
		var a string
		if engine == "eslscript" {
			a = sessOriginate(t, d, vars+"eslscript_argv="+tag, "&park")
		} else {
			a = sessOriginateExt(t, fs, vars+"lua_args="+tag, "lua_sess_leg", "&park")
		}
		rec.Hangup(t, a, waitReal)
		var lines []string
		if engine == "eslscript" {
			d.waitLog("the report of "+tag, func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" done=") })
			for _, l := range d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+tag+" ") }) {
				lines = append(lines, l.str("msg"))
			}
		} else {
			lines = fs.Log("SESSRESULT " + tag + " ")
		}
		got := sessResults(lines, tag)
		for leg, want := range map[string][2]string{"a_uuid": {"4005551234", "Ann Smith"}, "uuid": {"0000000000", ""}} {
			far := rec.Wait(t, waitReal, "the called party of "+engine+"'s "+leg, realfs.Named("CHANNEL_ANSWER", func(ev realfs.Event) bool {
				return got[leg] != "" && ev.Get("variable_other_loopback_leg_uuid") == got[leg]
			}))
			if n, m := far.Get("Caller-Caller-ID-Number"), far.Get("Caller-Caller-ID-Name"); n != want[0] || m != want[1] {
				t.Errorf("%s, leg %s: the called party sees %q <%s>, want %q <%s>", engine, leg, m, n, want[1], want[0])
			}
		}
	}
}
