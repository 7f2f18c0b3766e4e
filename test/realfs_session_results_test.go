package test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessResultsLua is a mod_lua call script run both by FreeSWITCH's own
// mod_lua and by eslscript (from a mod_lua/ folder): argv[1] names what the
// call does while its caller hangs up, argv[2] tags its report lines
// ("SESSRESULT <tag> <name>=<value|err>").
const sessResultsLua = `
local tag = argv[2]
local function report(name, a, b)
  freeswitch.consoleLog("notice", "SESSRESULT " .. tag .. " " .. name .. "=" .. tostring(a) .. "|" .. tostring(b) .. "\n")
end
local tone = "tone_stream://%(1000,0,440);loops=-1"
session:answer()
local what = argv[1]
if what == "stream" then
  report(what, session:streamFile(tone))
elseif what == "pagd" then
  report(what, session:playAndGetDigits(1, 1, 3, 5000, "#", tone, "", "^[123]$"))
elseif what == "noapp" then
  report(what, session:execute("no_such_app"))
end
report("ready", session:ready())
report("after", session:streamFile(tone))
`

// sessResults collects the SESSRESULT lines of tag from text lines.
func sessResults(lines []string, tag string) map[string]string {
	out := map[string]string{}
	for _, l := range lines {
		_, rest, ok := strings.Cut(l, "SESSRESULT "+tag+" ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(strings.TrimSpace(rest), "=")
		out[k] = v
	}
	return out
}

// appCompletion returns the Answer-State and the Application-Response of
// the CHANNEL_EXECUTE_COMPLETE of app on the b-leg of the call whose a-leg
// is a ("" when none came).
func appCompletion(rec *realfs.Recorder, a, app string) (state, response string) {
	for _, ev := range rec.Events(realfs.Named("CHANNEL_EXECUTE_COMPLETE", rec.BLeg(a))) {
		if ev.Get("Application") == app {
			return ev.Get("Answer-State"), ev.Get("Application-Response")
		}
	}
	return "", ""
}

// What each session call returns when the caller hangs up while it runs
// (streamFile, playAndGetDigits: the caller's leg is killed during the
// prompt; execute of an unknown application: FreeSWITCH hangs the call up
// itself), and what the next media call returns, over several runs of
// each: nil, "hangup" whenever FreeSWITCH's completion of the application
// says the hangup ended it (Answer-State: hangup), whichever of it and
// CHANNEL_HANGUP came first. When the loopback caller's death stopped the
// media an instant before the hangup began (the completion says
// answered), the application's own failure result, as under mod_lua. The
// same Lua body runs under FreeSWITCH's mod_lua for comparison.
func TestRealSessionResultsAtHangup(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	fs.WriteLua(t, "sess_results", sessResultsLua)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"mod_lua/results.lua": sessResultsLua}), "mod_lua/results")
	const runs = 4
	type run struct{ what, tag, engine, a string }
	var mu sync.Mutex
	var all []run
	var wg sync.WaitGroup
	for i := range runs {
		for _, what := range []string{"stream", "pagd", "noapp"} {
			for _, engine := range []string{"eslscript", "mod_lua"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tag := realToken(t) + "x" + itoa(i)
					var a string
					if engine == "eslscript" {
						a = sessOriginate(t, d, "eslscript_argv='"+what+" "+tag+"'", "&park")
					} else {
						a = fs.Originate(t, "lua_sess_results", map[string]string{"lua_args": "'" + what + " " + tag + "'"})
					}
					if what != "noapp" {
						rec.Wait(t, waitReal, "the prompt of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
							return ev.Get("variable_other_loopback_leg_uuid") == a
						}))
						fs.MustAPI(t, "uuid_kill "+a)
					}
					rec.Hangup(t, a, waitReal)
					mu.Lock()
					all = append(all, run{what, tag, engine, a})
					mu.Unlock()
				}()
			}
		}
	}
	wg.Wait()
	apps := map[string]string{"stream": "playback", "pagd": "play_and_get_digits"}
	// what README says mod_lua returns (streamFile: 1 when FreeSWITCH
	// reported the playback done before the hangup began, as ours)
	modLua := map[string][]string{"stream": {"0.0|nil", "1.0|nil"}, "pagd": {"|nil"}, "noapp": {"nil|nil"}}
	for _, r := range all {
		if r.engine == "mod_lua" {
			got := sessResults(fs.Log("SESSRESULT "+r.tag+" "), r.tag)
			t.Logf("mod_lua %s: %v", r.what, got)
			if !slices.Contains(modLua[r.what], got[r.what]) {
				t.Errorf("mod_lua's %s at the hangup returned %q, README says %q", r.what, got[r.what], modLua[r.what])
			}
			continue
		}
		d.waitLog("the report of "+r.tag, func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+r.tag+" after=") })
		var lines []string
		for _, l := range d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), "SESSRESULT "+r.tag+" ") }) {
			lines = append(lines, l.str("msg"))
		}
		got := sessResults(lines, r.tag)
		state, response := "hangup", "" // an unknown application never runs: FreeSWITCH hangs up
		if app := apps[r.what]; app != "" {
			state, response = appCompletion(rec, r.a, app)
		}
		t.Logf("eslscript %s: %v (completion: Answer-State %s, %s)", r.what, got, state, response)
		want := map[string]string{r.what: "nil|hangup", "ready": "false|nil", "after": "nil|hangup"}
		if state == "answered" { // the media stopped before the hangup began: the app's own result
			own := map[string]string{"stream": "0|nil", "pagd": "|nil"}[r.what]
			if response == "FILE PLAYED" {
				own = "1|nil"
			}
			want = map[string]string{r.what: own}
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("eslscript %s (completion %s): %s = %q, want %q", r.what, state, k, got[k], v)
			}
		}
	}
}
