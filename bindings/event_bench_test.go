package bindings

import (
	"os"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// benchHandler is the shape of the host's consumer benchmark handler:
// Event-Name, Unique-ID and one variable read, a per-call table updated.
const benchHandler = `local last = {}
function handler(ev, var)
  local name = ev:get("Event-Name")
  local id = ev:get("Unique-ID")
  local v = ev:var(var)
  if name == nil or id == nil or v == nil then error("missing header") end
  last[id] = (last[id] or 0) + 1
end`

// fixtureEvents parses the plain events of the FreeSWITCH capture.
func fixtureEvents(b *testing.B) []*esl.Event {
	data, err := os.ReadFile("../esl/testdata/freeswitch-1.10.12/inbound-events-plain.txt")
	if err != nil {
		b.Skipf("fixture: %v", err)
	}
	var evs []*esl.Event
	err = esl.NewParser(0).Feed(data, func(f *esl.Frame) error {
		if f.ContentType() == esl.TypeEventPlain {
			e, perr := esl.ParseEvent(esl.FormatPlain, append([]byte(nil), f.Body...))
			if perr == nil && e.Get("Unique-ID") != "" && lastVar(e) != "" {
				evs = append(evs, e)
			}
		}
		return nil
	})
	if err != nil || len(evs) == 0 {
		b.Fatalf("no call events in fixture (%v)", err)
	}
	return evs
}

// lastVar returns the name (without variable_) of e's last variable.
func lastVar(e *esl.Event) string {
	v := ""
	e.Range(func(n, _ string) bool {
		if s, ok := strings.CutPrefix(n, "variable_"); ok {
			v = s
		}
		return true
	})
	return v
}

// BenchmarkEventHandler measures one handler call per event, the event
// wrapped per call as the host does: "push" with pushEvent, "pusher" with
// an EventPusher given the Event-Name and Unique-ID already looked up.
func BenchmarkEventHandler(b *testing.B) {
	evs := fixtureEvents(b)
	vars := make([]lua.LValue, len(evs))
	known := make([]KnownHeaders, len(evs))
	for i, e := range evs {
		vars[i] = lua.LString(lastVar(e))
		known[i] = KnownHeaders{EventName: e.Name(), UniqueID: e.Get("Unique-ID")}
	}
	for _, mode := range []string{"push", "pusher"} {
		b.Run(mode, func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			if err := L.DoString(benchHandler); err != nil {
				b.Fatal(err)
			}
			fn, p := L.GetGlobal("handler"), NewEventPusher(L)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				k := i % len(evs)
				var ev lua.LValue
				if mode == "push" {
					ev = pushEvent(L, evs[k])
				} else {
					ev = p.Push(evs[k], known[k])
				}
				if err := L.CallByParam(lua.P{Fn: fn, Protect: true}, ev, vars[k]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
