package host

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// An events key FreeSWITCH never sends loads, with a warning naming the
// key's line and, when it is close, the event meant.
func TestEventKeyWarnings(t *testing.T) {
	src := `return {
  events = {
    CHANNEL_ANSWERD = function() end,
    ["sofia:register"] = function() end,
    channel_hangup = function() end,
    ["sofia::register"] = function() end,
    ["eslscript::node_down"] = function() end,
    CHANNEL_ANSWER = function() end,
    CERT_RELOAD = function() end,
    ["*"] = function() end,
    ALL = function() end,
    ["::x"] = function() end,
    my_event = function() end,
  },
}
`
	dir := writeTree(t, map[string]string{"w.lua": src})
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	got := map[int]string{}
	for _, w := range g.Warnings() {
		if w.File != filepath.Join(dir, "w.lua") {
			t.Errorf("warning file %q", w.File)
		}
		got[w.Line] = w.Msg
	}
	want := map[int]string{
		3:  `events["CHANNEL_ANSWERD"]: not a FreeSWITCH event name (did you mean CHANNEL_ANSWER?)`,
		4:  `events["sofia:register"]: a CUSTOM subclass is written with two colons ("sofia::register")`,
		5:  `events["channel_hangup"]: event names are upper case: CHANNEL_HANGUP`,
		11: `events["ALL"]: ALL is a subscription, not an event name`,
		12: `events["::x"]: not a CUSTOM subclass of the form "module::name"`,
		13: `events["my_event"]: not a FreeSWITCH event name; a CUSTOM subclass is written "module::name"`,
	}
	for line, msg := range want {
		if !strings.HasPrefix(got[line], msg) {
			t.Errorf("line %d: warning %q, want prefix %q", line, got[line], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings %v, want exactly lines of %v", got, want)
	}
	if s := g.Script("w"); len(s.Events) != 11 {
		t.Errorf("events %v: a warning must not drop the handler", s.Events)
	}
}

// A listener's default script must be a session script.
func TestCheckSessionScript(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ivr.lua":         `return { session = function() end }`,
		"logger.lua":      `return { events = { DTMF = function() end } }`,
		"mod_lua/old.lua": `session:answer()`,
	})
	g := mustBuild(t, &Loader{Dir: dir}, nil)
	for _, ok := range []string{"ivr", "mod_lua/old"} {
		if err := g.CheckSessionScript(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for name, msg := range map[string]string{
		"pin_irv": `host: no script "pin_irv" in the scripts directory (session scripts: ivr, mod_lua/old)`,
		"logger":  `host: script "logger" (` + filepath.Join(dir, "logger.lua") + `) has no session function: it cannot take calls (session scripts: ivr, mod_lua/old)`,
	} {
		err := g.CheckSessionScript(name)
		if !errors.Is(err, ErrNoScript) || err.Error() != msg {
			t.Errorf("%s: %v, want %q", name, err, msg)
		}
	}
}
