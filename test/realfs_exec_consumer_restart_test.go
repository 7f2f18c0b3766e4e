package test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// A luarun-style service under `eslscript exec` (a freeswitch.EventConsumer
// popped in a loop) keeps receiving events after FreeSWITCH restarts: the
// consumer's subscription and its wire "event" survive the reconnect. It
// used to go deaf: pop returned nil at once, forever, once the node came
// back.
func TestRealExecConsumerSurvivesRestart(t *testing.T) {
	t.Parallel()
	fs := realfs.StartPrivate(t)
	p := execReal(t, fs, `
local con = freeswitch.EventConsumer("CHANNEL_CREATE")
freeswitch.consoleLog("info", "consumer ready")
local empty = 0
while true do
  local ev = con:pop(1, 500)
  if ev then
    freeswitch.consoleLog("info", "created " .. ev:getHeader("Unique-ID"))
  else
    empty = empty + 1
  end
end`, []string{"--log-level", "info"})
	seen := func(uuid string) {
		t.Helper()
		p.waitLogs("the consumer's line for "+uuid, 1, func(l logLine) bool {
			return strings.Contains(l.str("msg"), "created "+uuid)
		})
	}
	p.waitLogs("the consumer", 1, func(l logLine) bool { return strings.Contains(l.str("msg"), "consumer ready") })
	before := fs.Originate(t, "park", nil)
	seen(before)
	fs.MustAPI(t, "uuid_kill "+before)

	fs.Restart(t)
	// exec reconnects with a backoff: a call made before that is not seen,
	// so call until one is (each call gets its own wait).
	deadline := time.Now().Add(waitReal)
	for {
		after := fs.Originate(t, "park", nil)
		got := sawWithin(p, "created "+after, 3*time.Second)
		fs.MustAPI(t, "uuid_kill "+after)
		if got {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the consumer saw no call after the restart")
		}
	}
	p.signal(syscall.SIGINT)
	p.waitExit(waitLong)
}

// sawWithin reports whether p logs a line whose msg contains text within d.
func sawWithin(p *proc, text string, d time.Duration) bool {
	limit := time.NewTimer(d)
	defer limit.Stop()
	for {
		out, changed := p.stderr.snapshot()
		if strings.Contains(out, text) {
			return true
		}
		select {
		case <-changed:
		case <-limit.C:
			return false
		}
	}
}
