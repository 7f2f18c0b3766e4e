package test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessSounds writes the prompts the example scripts play (ivr/menu.wav,
// ivr/invalid.wav, ivr/goodbye.wav: the one-second beep) into a new
// directory and returns it; a call with sound_prefix set to it finds them.
func sessSounds(t *testing.T, fs *realfs.FreeSWITCH) string {
	t.Helper()
	beep, err := os.ReadFile(fs.BeepPath())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"menu.wav", "invalid.wav", "goodbye.wav"} {
		writeFile(t, filepath.Join(dir, "ivr", name), string(beep))
	}
	return dir
}

// sessExample returns the content of a shipped example script.
func sessExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "scripts", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sessOriginate places a loopback call into the daemon's listener whose
// a-leg (the caller) runs app once the b-leg answers, and returns the
// a-leg's uuid.
func sessOriginate(t *testing.T, d *realDaemon, vars, app string) string {
	t.Helper()
	a := realfs.NewUUID()
	d.fs.MustAPI(t, "bgapi originate {origination_uuid="+a+","+vars+"}loopback/sock"+itoa(d.port)+"/default "+app)
	return a
}

// sessOutcome waits for the line the shipped ivr.lua logs about the call
// whose b-leg is b and returns its message.
func sessOutcome(t *testing.T, d *realDaemon, b string) string {
	t.Helper()
	return d.waitLog("the menu's outcome of "+b, func(l logLine) bool {
		m := l.str("msg")
		return l.str("call") == b && (m == "caller hung up in the menu" || m == "no valid choice, hanging up" || m == "routing")
	}).str("msg")
}

// The shipped ivr.lua on calls whose caller hangs up during the menu, over
// and over: the scripted channel is killed (uuid_kill, as a caller's BYE)
// at points spread over the prompt and the digit wait.
// Every call must log "caller hung up in the menu": ready() is false after
// playAndGetDigits whatever order its completion and CHANNEL_HANGUP come in.
func TestRealSessionIVRCallerHangsUpInMenu(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	snd := sessSounds(t, fs)
	d := startRealDaemon(t, fs, writeScripts(t, map[string]string{"ivr.lua": sessExample(t, "ivr.lua")}), "ivr")
	const runs = 10
	var wg sync.WaitGroup
	outcomes := make(chan string, 2*runs)
	for i := range 2 * runs {
		wg.Add(1)
		go func() { // the caller hangs up i*225 ms into the menu (prompt 1 s, then the 5 s digit wait)
			defer wg.Done()
			a := sessOriginate(t, d, "sound_prefix="+snd, "&park")
			ev := rec.Wait(t, waitReal, "play_and_get_digits on the b-leg of "+a,
				realfs.Named("CHANNEL_EXECUTE", func(ev realfs.Event) bool {
					return ev.Get("variable_other_loopback_leg_uuid") == a && ev.Get("Application") == "play_and_get_digits"
				}))
			time.Sleep(time.Duration(i) * 225 * time.Millisecond)
			// the scripted channel is hung up, as a caller's BYE hangs up its
			// SIP channel (a dying loopback peer can end the prompt before
			// this channel's hangup begins: then ready() is true for a moment
			// under mod_lua too; see README)
			fs.MustAPI(t, "uuid_kill "+ev.Get("Unique-ID"))
			rec.Hangup(t, a, waitReal)
			outcomes <- "killed: " + sessOutcome(t, d, rec.BLegUUID(a))
		}()
	}
	wg.Wait()
	close(outcomes)
	for o := range outcomes {
		if o != "killed: caller hung up in the menu" {
			t.Errorf("a call whose caller hung up in the menu logged %q", o)
		}
	}
}
