package test

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// The mod_lua differential suite: every compatibility script (a
// compatCase) runs on the real FreeSWITCH twice, once by FreeSWITCH's own
// mod_lua (extension lua_mlc_NAME runs LuaDir/mlc_NAME.lua) and once by
// eslscript's outbound socket (extension modluaPORT_mlc_NAME runs the
// daemon's mod_lua/mlc_NAME.lua), and what FreeSWITCH reports about the
// scripted leg must be equal, or differ only by a deliberate difference
// the case names (compatDiffs: each is documented in README, "Existing
// mod_lua scripts").

// Engines of the suite.
const (
	engModLua = "mod_lua"
	engESL    = "eslscript"
)

// compatCase is one compatibility script.
type compatCase struct {
	name string // the files are mlc_<name>.lua
	lua  string // the script; compatPrelude comes before it, compatEpilogue after
	args string // argv[1..] (lua_args: words, single quotes group as in mod_lua)
	// vars are channel variables of the call (set when it is originated).
	vars map[string]string
	// drive acts on the call while the script runs (digits, the caller's
	// hangup); nil: nothing.
	drive func(c *compatCall)
	// diffs are the deliberate differences the case may show (keys of
	// compatDiffs), applied to both results before they are compared.
	diffs []string
	// fails: the script ends with an error (its log line ends the run, not
	// the epilogue's END).
	fails bool
	// files are more files beside the script (modules for require): their
	// path relative to the script's folder -> content.
	files map[string]string
	// lines are report lines that differ deliberately.
	lines []lineDiff
}

// lineDiff is a report line that differs deliberately: the line starting
// with what reads mod under mod_lua and esl under eslscript (the rest of
// the line after what and a space).
type lineDiff struct {
	diff     string // the compatDiffs entry that explains it
	what     string
	mod, esl string
}

// compatPrelude gives every script its report function: mlc(...) logs
// "MLC <tag> <values>" with freeswitch.consoleLog at notice (line breaks
// as \n), mlcl(level, ...) at another level. The tag (argv[1], removed
// from argv) ties the lines to the run: mod_lua's consoleLog lines carry
// no call uuid. The global MLC_TAG lets modules report too.
const compatPrelude = `MLC_TAG = table.remove(argv, 1)
local function mlcl(level, ...)
  local parts = {}
  for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
  freeswitch.consoleLog(level, "MLC " .. MLC_TAG .. " " .. (table.concat(parts, " "):gsub("\n", "\\n")) .. "\n")
end
local function mlc(...) mlcl("notice", ...) end
`

// compatEpilogue marks the script's normal end.
const compatEpilogue = "\nmlc(\"END\")\n"

// compatScript is the file both engines run for c.
func compatScript(c compatCase) string {
	return compatPrelude + c.lua + compatEpilogue
}

// compatSuite is the FreeSWITCH, the daemon and the followers of
// FreeSWITCH's output shared by the suite's cases.
type compatSuite struct {
	fs  *realfs.FreeSWITCH
	rec *realfs.Recorder
	d   *realDaemon
	log *fileTail // FreeSWITCH's log: MLC lines and mod_lua's errors
}

// startCompatSuite writes every case's files for both engines and starts
// the daemon serving them.
func startCompatSuite(t *testing.T, cases []compatCase) *compatSuite {
	t.Helper()
	fs := realfs.Start(t)
	s := &compatSuite{fs: fs, rec: fs.Record(t)}
	s.log = tailFile(t, fs.LogPath(), "MLC ", "[ERR] mod_lua.cpp")
	files := map[string]string{}
	for _, c := range cases {
		body := compatScript(c)
		fs.WriteLua(t, "mlc_"+c.name, body)
		files["mod_lua/mlc_"+c.name+".lua"] = body
		for rel, content := range c.files {
			writeFile(t, filepath.Join(fs.LuaDir, rel), content)
			files["mod_lua/"+rel] = content
		}
	}
	s.d = startRealDaemon(t, fs, writeScripts(t, withIdle(files)), idleScript, "--log-level", "debug")
	return s
}

// compatCall is one run of a case: what drive acts on.
type compatCall struct {
	t      *testing.T
	s      *compatSuite
	engine string
	a      string // the a-leg (the caller)
	tag    string
}

// b waits for the b-leg (the scripted leg) and returns its uuid.
func (c *compatCall) b() string {
	c.t.Helper()
	c.s.rec.Wait(c.t, waitReal, "the b-leg of "+c.a, c.s.rec.BLeg(c.a))
	return c.s.rec.BLegUUID(c.a)
}

// waitEvent waits for the n-th (from 1) event called name on the b-leg
// that matches keep (nil: any) and returns it.
func (c *compatCall) waitEvent(name string, n int, keep func(realfs.Event) bool) realfs.Event {
	c.t.Helper()
	b := c.b()
	count := 0
	var seen []string
	return c.s.rec.Wait(c.t, waitReal, fmt.Sprintf("%s #%d on %s", name, n, b), func(ev realfs.Event) bool {
		if ev.Get("Unique-ID") != b || ev.Get("Event-Name") != name || (keep != nil && !keep(ev)) {
			return false
		}
		id := ev.Get("Event-Sequence")
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
		}
		count = len(seen)
		return count >= n
	})
}

// waitPlayback waits for the n-th PLAYBACK_START on the b-leg.
func (c *compatCall) waitPlayback(n int) { c.t.Helper(); c.waitEvent("PLAYBACK_START", n, nil) }

// waitPlaybackAfter waits for a PLAYBACK_START on the b-leg after the
// CHANNEL_EXECUTE of app with data (FreeSWITCH numbers its events in
// order: Event-Sequence).
func (c *compatCall) waitPlaybackAfter(app, data string) {
	c.t.Helper()
	ex := c.waitEvent("CHANNEL_EXECUTE", 1, func(ev realfs.Event) bool {
		return ev.Get("Application") == app && ev.Get("Application-Data") == data
	})
	after, _ := strconv.Atoi(ex.Get("Event-Sequence"))
	c.waitEvent("PLAYBACK_START", 1, func(ev realfs.Event) bool {
		n, _ := strconv.Atoi(ev.Get("Event-Sequence"))
		return n > after
	})
}

// waitApp waits for the CHANNEL_EXECUTE of app (with data, when not "")
// on the b-leg.
func (c *compatCall) waitApp(app, data string) {
	c.t.Helper()
	c.waitEvent("CHANNEL_EXECUTE", 1, func(ev realfs.Event) bool {
		return ev.Get("Application") == app && (data == "" || ev.Get("Application-Data") == data)
	})
}

// waitAppDone waits for the CHANNEL_EXECUTE_COMPLETE of app (with data,
// when not "") on the b-leg.
func (c *compatCall) waitAppDone(app, data string) {
	c.t.Helper()
	c.waitEvent("CHANNEL_EXECUTE_COMPLETE", 1, func(ev realfs.Event) bool {
		return ev.Get("Application") == app && (data == "" || ev.Get("Application-Data") == data)
	})
}

// dtmf makes the scripted leg receive digits.
func (c *compatCall) dtmf(digits string) {
	c.t.Helper()
	c.s.fs.MustAPI(c.t, "uuid_recv_dtmf "+c.b()+" "+digits)
}

// hangupCaller hangs the call up from the caller's side.
func (c *compatCall) hangupCaller() {
	c.t.Helper()
	// the scripted channel itself is hung up, as a caller's BYE hangs up
	// its SIP channel: killing the loopback peer instead races (the
	// peer's media can end the script's media call before this channel's
	// hangup begins, and then the engines' timings decide whether the
	// dialplan runs on)
	c.s.fs.MustAPI(c.t, "uuid_kill "+c.b())
}

// compatResult is what FreeSWITCH (and the engine's log) reported about
// one run.
type compatResult struct {
	Answered  bool              // CHANNEL_ANSWER on the scripted leg
	Effects   []string          // while the script ran, in order: app:NAME(DATA), play:FILE, record:FILE
	DTMF      string            // the DTMF events of the leg, in order
	After     []string          // the applications run after the script (dialplan, transfer)
	Continued bool              // the dialplan went on after the script (after_*=reached)
	Cause     string            // the leg's hangup cause
	Vars      map[string]string // its variables at CHANNEL_HANGUP_COMPLETE (see compatIgnoredVars)
	Log       []string          // the script's report lines: "level text"
	Err       string            // the error that ended it: "file:line: message" (file without its folder)
}

// runCompat runs c once on engine and returns what was reported.
func runCompat(t *testing.T, s *compatSuite, c compatCase, engine string) *compatResult {
	t.Helper()
	call := &compatCall{t: t, s: s, engine: engine, tag: realToken(t)}
	vars := maps.Clone(c.vars)
	if vars == nil {
		vars = map[string]string{}
	}
	// quoted for the originate's {} block, which removes one level of quotes and escapes
	vars["lua_args"] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(strings.TrimSpace(call.tag+" "+c.args)) + "'"
	vars["mlc_rec_dir"] = filepath.Join(s.fs.Dir, "rec")
	ext := "lua_mlc_" + c.name
	if engine == engESL {
		ext = "modlua" + itoa(s.d.port) + "_mlc_" + c.name
	}
	call.a = s.fs.Originate(t, ext, vars)
	if c.drive != nil {
		c.drive(call)
	}
	hc := s.rec.Hangup(t, call.a, waitReal)
	res := &compatResult{Cause: hc.Get("Hangup-Cause")}
	s.collectEvents(call, res)
	res.Vars = compatVars(hc)
	res.Continued = hc.Get("variable_after_lua") == "reached" || hc.Get("variable_after_socket") == "reached"
	s.collectLog(t, call, c, res)
	res.rewrite(func(v string) string {
		// the run's tag, the extension's name and the scripts' folders
		// differ by construction
		v = socketExt.ReplaceAllString(strings.ReplaceAll(v, call.tag, "TAG"), "lua_mlc_")
		return scriptDir.ReplaceAllString(v, "$1")
	})
	return res
}

// rewrite applies fn to every text of r.
func (r *compatResult) rewrite(fn func(string) string) {
	for _, list := range [][]string{r.Effects, r.After, r.Log} {
		for i, v := range list {
			list[i] = fn(v)
		}
	}
	for k, v := range r.Vars {
		r.Vars[k] = fn(v)
	}
	r.Err = fn(r.Err)
}

// collectEvents fills the event-based fields of res from the b-leg's
// recorded events: the script's frame is the lua (mod_lua) or socket
// (eslscript) application, from its CHANNEL_EXECUTE to its completion.
func (s *compatSuite) collectEvents(call *compatCall, res *compatResult) {
	b := call.b()
	frameApp := map[string]string{engModLua: "lua", engESL: "socket"}[call.engine]
	const (
		before = iota
		inside
		after
	)
	phase, frameID := before, ""
	for _, ev := range s.rec.Events(func(ev realfs.Event) bool { return ev.Get("Unique-ID") == b }) {
		name, app := ev.Get("Event-Name"), ev.Get("Application")
		switch {
		case name == "CHANNEL_ANSWER":
			res.Answered = true
		case name == "DTMF":
			res.DTMF += ev.Get("DTMF-Digit")
		case name == "CHANNEL_EXECUTE" && phase == before && app == frameApp:
			phase, frameID = inside, ev.Get("Application-UUID")
		case name == "CHANNEL_EXECUTE_COMPLETE" && phase == inside && ev.Get("Application-UUID") == frameID:
			phase = after
		case name == "CHANNEL_EXECUTE" && phase == inside:
			kind := "app:"
			if nativeScope(ev) {
				kind = "native:"
			}
			res.Effects = append(res.Effects, kind+app+"("+ev.Get("Application-Data")+")")
		case name == "CHANNEL_EXECUTE" && phase == after:
			data := ev.Get("Application-Data")
			if data == "after_lua=reached" || data == "after_socket=reached" {
				data = "after_*=reached" // the two extensions' markers
			}
			res.After = append(res.After, app+"("+data+")")
		case name == "PLAYBACK_START" && phase == inside:
			res.Effects = append(res.Effects, "play:"+ev.Get("Playback-File-Path"))
		case name == "RECORD_START" && phase == inside:
			res.Effects = append(res.Effects, "record:"+ev.Get("Record-File-Path"))
		}
	}
}

// nativeScope reports whether an application ran with the scoped
// variables eslscript gives the applications of its native session methods
// (streamFile, recordFile, sleep: %[playback_terminators=none...]): a
// compatibility script never sets them itself.
func nativeScope(ev realfs.Event) bool {
	return ev.Get("scope_variable_playback_terminators") == "none"
}

// compatIgnoredVars are variables that differ between any two calls or
// between the dialplan extensions and engines by construction (uuids,
// times, the socket's and mod_lua's own bookkeeping); they are left out
// of the comparison. Names ending in "*" are prefixes.
var compatIgnoredVars = []string{
	"uuid", "call_uuid", "session_id", "originate_early_media", "origination_uuid", "other_loopback_leg_uuid",
	"other_loopback_from_uuid", "loopback_leg", "channel_name", "signal_bond", "originating_leg_uuid",
	"lua_args", "eslscript_*", "socket_host", "after_lua", "after_socket", "current_application*",
	"last_app", "last_arg", "hangup_cause*", "hangup_cause_q850", "digits_dialed", "sip_hangup_disposition",
	"*_time", "*_epoch", "*_uepoch", "*sec", "*_stamp", "start_*", "end_*", "answer_*", "progress_*",
	"profile_start*", "created_*", "bridge_*", "last_bridge*", "read_codec", "write_codec", "read_rate",
	"write_rate", "direction", "is_outbound", "dp_match", "call_timeout", "DP_MATCH", "Event-*",
	"originated_legs", "originate_causes", "originate_signal_bond", "app_uuid", "transfer_history", "transfer_source", "rtp_*", "billmsec", "flow_billmsec", "mduration",
	"last_sent_callee_id_*", "current_*", "playback_last_offset_pos", "playback_samples", "record_samples",
	"record_ms", "record_seconds", "sent_callee_id_*", "*duration",
}

// compatVars returns the variables of a CHANNEL_HANGUP_COMPLETE that a
// script could have made differ.
func compatVars(hc realfs.Event) map[string]string {
	out := map[string]string{}
	for k, v := range hc.Headers {
		name, ok := strings.CutPrefix(k, "variable_")
		if !ok || compatIgnored(name) {
			continue
		}
		out[name] = v
	}
	return out
}

func compatIgnored(name string) bool {
	for _, p := range compatIgnoredVars {
		switch {
		case strings.HasSuffix(p, "*") && strings.HasPrefix(name, strings.TrimSuffix(p, "*")):
			return true
		case strings.HasPrefix(p, "*") && strings.HasSuffix(name, strings.TrimPrefix(p, "*")):
			return true
		case p == name:
			return true
		}
	}
	return false
}

// collectLog waits for the script's end (its END line, or for a case that
// fails the error that stopped it) and fills the log fields of res.
func (s *compatSuite) collectLog(t *testing.T, call *compatCall, c compatCase, res *compatResult) {
	t.Helper()
	mark := "MLC " + call.tag + " "
	if call.engine == engModLua {
		b := call.b()
		isErr := func(l string) bool { return strings.HasPrefix(l, b) && strings.Contains(l, "[ERR] mod_lua.cpp") }
		if !s.log.wait(func(l string) bool { return strings.Contains(l, mark+"END") || isErr(l) }, waitReal) {
			t.Fatalf("mod_lua: no END nor error line of %s", call.tag)
		}
		for _, l := range s.log.matching(func(l string) bool { return strings.Contains(l, mark) }) {
			res.Log = append(res.Log, modLuaLogLine(l, mark))
		}
		if errs := s.log.matching(isErr); len(errs) > 0 {
			_, msg, _ := strings.Cut(errs[0], "[ERR] mod_lua.cpp:")
			_, msg, _ = strings.Cut(msg, " ")
			res.Err = baseErr(msg)
		}
		return
	}
	b := call.b()
	isErr := func(l logLine) bool { return l.str("msg") == "host: handler failed" && l.str("call") == b }
	s.d.waitLog("the end of "+call.tag, func(l logLine) bool { return strings.Contains(l.str("msg"), mark+"END") || isErr(l) })
	for _, l := range s.d.logs(func(l logLine) bool { return strings.Contains(l.str("msg"), mark) }) {
		res.Log = append(res.Log, l.str("fs_level")+" "+strings.TrimPrefix(l.str("msg"), mark))
	}
	if errs := s.d.logs(isErr); len(errs) > 0 {
		res.Err = baseErr(errs[0].str("error"))
	}
}

// socketExt matches the extension that runs a case under eslscript.
var socketExt = regexp.MustCompile(`modlua\d+_mlc_`)

// scriptDir matches a case's file with the folder it is in.
var scriptDir = regexp.MustCompile(`/[^\s:'"]*/(mlc_\w+\.lua)`)

// modLuaLogLine turns a FreeSWITCH log line holding mark into "level
// text": "... [NOTICE] switch_cpp.cpp:1466 MLC tag text" is "notice text".
func modLuaLogLine(l, mark string) string {
	level := ""
	if i := strings.Index(l, "] "); i > 0 {
		if j := strings.LastIndex(l[:i], "["); j >= 0 {
			level = strings.ToLower(l[j+1 : i])
		}
	}
	return level + " " + l[strings.Index(l, mark)+len(mark):]
}

// baseErr keeps the first line of an error and drops the folder of the
// file it names ("/x/lua/mlc_a.lua:3: boom" and "mod_lua/mlc_a.lua:3:
// boom" are both "mlc_a.lua:3: boom").
func baseErr(msg string) string {
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	if i := strings.Index(msg, ".lua:"); i >= 0 {
		if j := strings.LastIndexAny(msg[:i], "/ "); j >= 0 && msg[j] == '/' {
			start := strings.LastIndex(msg[:j], " ") + 1
			msg = msg[:start] + msg[j+1:]
		}
	}
	return msg
}

// runCompatCases runs every case on both engines, each case in a parallel
// subtest (its two runs in parallel too), and compares the results.
func runCompatCases(t *testing.T, cases []compatCase) {
	s := startCompatSuite(t, cases)
	var mu sync.Mutex
	summary := map[string]int{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got [2]*compatResult
			t.Run("runs", func(t *testing.T) {
				for i, engine := range []string{engModLua, engESL} {
					t.Run(engine, func(t *testing.T) {
						t.Parallel()
						got[i] = runCompat(t, s, c, engine)
					})
				}
			})
			if got[0] == nil || got[1] == nil {
				return
			}
			verdict := compareCompat(t, c, got[0], got[1])
			mu.Lock()
			summary[verdict]++
			mu.Unlock()
		})
	}
	t.Cleanup(func() {
		keys := slices.Sorted(maps.Keys(summary))
		var parts []string
		compared := 0
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, summary[k]))
			compared += summary[k]
		}
		t.Logf("mod_lua differential suite: %d of %d scripts compared: %s", compared, len(cases), strings.Join(parts, ", "))
	})
}

// compareCompat applies the case's deliberate differences and compares;
// it returns the verdict: "equal", "deliberate" (equal once normalized) or
// "different".
func compareCompat(t *testing.T, c compatCase, mod, esl *compatResult) string {
	t.Helper()
	normalizeAlways(mod, esl) // inherent: not a difference of behaviour
	changed := false
	for _, ld := range c.lines {
		if _, ok := compatDiffs[ld.diff]; !ok {
			t.Fatalf("case %s names an unknown difference %q", c.name, ld.diff)
		}
		if !applyLineDiff(mod, esl, ld) {
			t.Errorf("%s: the deliberate difference %q of line %q was not seen (mod_lua %q, eslscript %q): "+
				"remove it from the case if it is gone", c.name, ld.diff, ld.what, mod.Log, esl.Log)
		}
		changed = true
	}
	for _, name := range c.diffs {
		d, ok := compatDiffs[name]
		if !ok {
			t.Fatalf("case %s names an unknown difference %q", c.name, name)
		}
		if d.apply(mod, esl) {
			changed = true
		}
	}
	diffs := diffResults(mod, esl)
	for _, d := range diffs {
		t.Errorf("%s: %s", c.name, d)
	}
	if len(diffs) > 0 {
		t.Logf("mod_lua:   %+v", *mod)
		t.Logf("eslscript: %+v", *esl)
		return "different"
	}
	t.Logf("equal: %q", esl.Log)
	if changed {
		return "deliberate"
	}
	return "equal"
}

// applyLineDiff replaces the rest of the deliberately different line by
// the difference's name in both logs; it reports whether both engines
// showed the difference.
func applyLineDiff(mod, esl *compatResult, ld lineDiff) bool {
	replace := func(log []string, rest string) bool {
		for i, l := range log {
			level, text, _ := strings.Cut(l, " ")
			prefix, glob := strings.CutSuffix(rest, "*") // a trailing * matches anything
			if text == ld.what+" "+rest || (rest == "" && text == ld.what) ||
				(glob && strings.HasPrefix(text, ld.what+" "+prefix)) {
				log[i] = level + " " + ld.what + " <" + ld.diff + ">"
				return true
			}
		}
		return false
	}
	a := replace(mod.Log, ld.mod)
	b := replace(esl.Log, ld.esl)
	return a && b
}

// diffResults lists the fields in which a and b differ.
func diffResults(a, b *compatResult) []string {
	var out []string
	field := func(name string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			out = append(out, fmt.Sprintf("%s: mod_lua %q, eslscript %q", name, fmt.Sprint(x), fmt.Sprint(y)))
		}
	}
	field("answered", a.Answered, b.Answered)
	field("effects", a.Effects, b.Effects)
	field("DTMF events", a.DTMF, b.DTMF)
	field("dialplan after the script", a.After, b.After)
	field("dialplan continued", a.Continued, b.Continued)
	field("hangup cause", a.Cause, b.Cause)
	field("log", a.Log, b.Log)
	field("error", a.Err, b.Err)
	names := slices.Sorted(maps.Keys(a.Vars))
	for k := range b.Vars {
		if _, ok := a.Vars[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		x, xok := a.Vars[k]
		y, yok := b.Vars[k]
		if x != y || xok != yok {
			out = append(out, fmt.Sprintf("variable %s: mod_lua %q (set %v), eslscript %q (set %v)", k, x, xok, y, yok))
		}
	}
	return out
}
