package host

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// pathScript reads what the consumer benchmark's handler reads.
const pathScript = `local last = {}
return { events = { ["*"] = function(ev)
  local name, id = ev:get("Event-Name"), ev:get("Unique-ID")
  local n = tonumber(ev:var("bench_seq"))
  if name == nil or id == nil or n == nil then error("no headers") end
  last[id] = n
end }}
`

// fixturePlainEvents parses the call events of the FreeSWITCH capture,
// each given a variable_bench_seq last header as the consumer stream has.
func fixturePlainEvents(b *testing.B) []*esl.Event {
	data, err := os.ReadFile("../esl/testdata/freeswitch-1.10.12/inbound-events-plain.txt")
	if err != nil {
		b.Skipf("fixture: %v", err)
	}
	var evs []*esl.Event
	err = esl.NewParser(0).Feed(data, func(f *esl.Frame) error {
		if f.ContentType() != esl.TypeEventPlain {
			return nil
		}
		body := append([]byte(nil), f.Body...)
		if ev, perr := esl.ParseEvent(esl.FormatPlain, body); perr == nil && ev.Get("Unique-ID") != "" && ev.Body() == "" {
			body = append(body[:len(body)-1:len(body)-1], "variable_bench_seq: 1\n\n"...)
			if ev, perr = esl.ParseEvent(esl.FormatPlain, body); perr == nil && ev.Var("bench_seq") == "1" {
				evs = append(evs, ev)
			}
		}
		return nil
	})
	if err != nil || len(evs) == 0 {
		b.Fatalf("no call events in the fixture (%v)", err)
	}
	return evs
}

// pathObs counts finished handlers, errors and drops.
type pathObs struct {
	NopObserver
	done, errors, dropped atomic.Int64
}

func (o *pathObs) EventDropped(string, string) { o.dropped.Add(1) }
func (o *pathObs) HandlerDone(_, _ string, _ time.Duration, err error, _ bool) {
	if err != nil {
		o.errors.Add(1)
	}
	o.done.Add(1)
}

// BenchmarkDispatchPath measures the host's per-event path without a
// socket: dispatch (Event-Name, Unique-ID, shard, queue) and a worker
// running a handler that reads Event-Name, Unique-ID and a variable. The
// events are few and stay in cache, so this isolates CPU work.
func BenchmarkDispatchPath(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.lua"), []byte(pathScript), 0o644); err != nil {
		b.Fatal(err)
	}
	evs := fixturePlainEvents(b)
	obs := &pathObs{}
	h, err := New(Options{ScriptsDir: dir, Observer: obs})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Shutdown(b.Context())
	b.ResetTimer()
	for i := range b.N {
		ev := evs[i%len(evs)]
		h.dispatchNamed("n1", ev, ev.Name(), time.Now(), false)
		for int64(i)-obs.done.Load()-obs.dropped.Load() > 10000 {
			time.Sleep(10 * time.Microsecond) // keep the queues from overflowing
		}
	}
	for obs.done.Load()+obs.dropped.Load() < int64(b.N) {
		time.Sleep(100 * time.Microsecond)
	}
	b.StopTimer()
	if d, e := obs.dropped.Load(), obs.errors.Load(); d != 0 || e != 0 {
		b.Fatalf("%d events dropped, %d handler errors", d, e)
	}
}
