package test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// sessMetricScripts: "m" plays until its caller hangs up; "up" returns
// with its call up (the dialplan goes on).
var sessMetricScripts = map[string]string{
	"m.lua": `return { session = function(s)
  s:answer()
  s:getVariable("caller_id_number")
  s:streamFile("tone_stream://%(1000,0,440);loops=-1")
end }`,
	"up.lua": `return { session = function(s) s:answer() end }`,
}

// sessMetric returns the value of the first sample of /metrics whose line
// starts with name and holds every label pair given ("" when none).
func sessMetric(t *testing.T, addr, name string, labels ...string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
next:
	for _, l := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(l, name+"{") {
			continue
		}
		for _, lb := range labels {
			if !strings.Contains(l, lb) {
				continue next
			}
		}
		return l[strings.LastIndex(l, " ")+1:]
	}
	return ""
}

// eslscript_sessions_ended_total's cause is the call's hangup cause when
// the call hung up before the script returned, "ok" when the script
// returned with the call up.
func TestRealSessionEndedCauseMetric(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	admin := "127.0.0.1:" + itoa(port)
	d := startRealDaemon(t, fs, writeScripts(t, sessMetricScripts), "m", "--admin", admin)
	a := d.call(t, "", nil)
	tone := rec.Wait(t, waitReal, "the tone of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
		return ev.Get("variable_other_loopback_leg_uuid") == a
	}))
	// the scripted channel itself is hung up with the cause (as a caller's
	// BYE would); killing its loopback peer races with the peer's media
	// ending the tone first, and the script may then return with its call up
	fs.MustAPI(t, "uuid_kill "+tone.Get("Unique-ID")+" USER_BUSY")
	up := d.call(t, "up", nil)
	killed := rec.Hangup(t, a, waitReal).Get("Hangup-Cause")
	rec.Hangup(t, up, waitReal)
	waitCallsGone(t, fs, rec, []string{a, up}, waitReal)
	for _, w := range []struct{ script, cause string }{{"m", killed}, {"up", "ok"}} {
		sessWaitMetric(t, admin, "1", "eslscript_sessions_ended_total", `script="`+w.script+`"`, `cause="`+w.cause+`"`)
	}
}

// sessWaitMetric polls /metrics until the sample (see sessMetric) has the
// value want, failing the test after waitReal.
func sessWaitMetric(t *testing.T, addr, want, name string, labels ...string) {
	t.Helper()
	deadline := time.Now().Add(waitReal)
	for {
		got := sessMetric(t, addr, name, labels...)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s%v = %q after %s, want %s", name, labels, got, waitReal, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The commands a session's methods send (each execute's sendmsg,
// getVariable's uuid_getvar) are timed in eslscript_command_duration_seconds
// like the script's esl.* commands.
func TestRealSessionCommandsTimed(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	admin := "127.0.0.1:" + itoa(port)
	d := startRealDaemon(t, fs, writeScripts(t, sessMetricScripts), "m", "--admin", admin)
	a := d.call(t, "", nil)
	rec.Wait(t, waitReal, "the tone of "+a, realfs.Named("PLAYBACK_START", func(ev realfs.Event) bool {
		return ev.Get("variable_other_loopback_leg_uuid") == a
	}))
	// answer and playback: two sendmsg; getVariable: one uuid_getvar
	sessWaitMetric(t, admin, "2", "eslscript_command_duration_seconds_count", `command="sendmsg"`)
	sessWaitMetric(t, admin, "1", "eslscript_command_duration_seconds_count", `command="uuid_getvar"`)
	fs.MustAPI(t, "uuid_kill "+a)
	waitCallsGone(t, fs, rec, []string{a}, waitReal)
}
