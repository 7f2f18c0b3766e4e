package host

import (
	"fmt"
	"testing"
	"time"
)

func timerScript(gen string) string {
	return fmt.Sprintf(`local rec = require("rec")
return {
  init = function() rec.put("init", %[1]q) end,
  events = { CHANNEL_ANSWER = function(ev) rec.put("ev", %[1]q) end },
  timers = { tick = { every = 10, fn = function() rec.put("tick", %[1]q) end } },
}
`, gen)
}

func TestInitRunsBeforeEventsAndTimersFollowReload(t *testing.T) {
	th := startHost(t, map[string]string{"t.lua": timerScript("g1")}, Options{Workers: 2})
	if n := len(th.rec.matching("init")); n != 1 {
		t.Fatalf("init ran %d times after New, want 1", n)
	}
	th.dispatchEvent("n1", callEvent("CHANNEL_ANSWER", "c1", 1), time.Now())
	th.rec.waitCount(t, "ev", 1)
	th.rec.waitCount(t, "tick", 2)

	th.write(t, "t.lua", timerScript("g2"))
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	inits := th.rec.matching("init")
	if len(inits) != 2 || inits[1].vals[1] != "g2" {
		t.Fatalf("inits after reload = %v, want g1 then g2", inits)
	}
	g1Ticks := countByGen(th.rec.matching("tick"), "g1")
	before := len(th.rec.matching("tick"))
	ticks := th.rec.waitCount(t, "tick", before+2)
	if n := countByGen(ticks, "g1"); n != g1Ticks {
		t.Fatalf("gen 1 timer fired %d more times after the reload", n-g1Ticks)
	}
}

func TestRunawayTimerIsStoppedAndRestarted(t *testing.T) {
	src := `local rec = require("rec")
local n = 0
return { timers = { spin = { every = 10, fn = function()
  n = n + 1
  rec.put("spin", n)
  while true do end
end }}}
`
	th := startHost(t, map[string]string{"spin.lua": src}, Options{HandlerBudget: 20 * time.Millisecond})
	for _, r := range th.rec.waitCount(t, "spin", 2) {
		if r.vals[1] != "1" {
			t.Fatalf("timer ran in a reused state (n=%s), want a fresh one after each kill", r.vals[1])
		}
	}
}

func countByGen(recs []recEntry, gen string) int {
	n := 0
	for _, r := range recs {
		if r.vals[1] == gen {
			n++
		}
	}
	return n
}
