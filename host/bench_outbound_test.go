package host_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// Outbound benchmark parameters.
const (
	outboundConcurrency = 32
	outboundTimeScale   = 0.001 // simulated media time: 1 s of audio = 1 ms
	callWait            = 30 * time.Second
)

// ivrBenchScript is the outbound script: answer, play, collect 4 digits
// (queued up front by the caller), hang up. The playback dequeues the
// queued digits as DTMF events (as FreeSWITCH does) and the session
// re-injects them into play_and_get_digits, so its timeout must cover
// that round trip: 60 s simulated is 60 ms at outboundTimeScale (5 s, i.e.
// 5 ms, lost ~15% of the digits under 32-call load). Even so a few calls
// get wrong digits (the type-ahead race reported in
// /work/notes/host-bench.md); they are counted (digit-misses), not fatal.
const ivrBenchScript = `local bench = require("bench")
return { session = function(s)
  s:answer()
  s:streamFile("silence_stream://500")
  local d = s:playAndGetDigits(4, 4, 1, 60000, "#", "silence_stream://200", "", "")
  if d ~= "1234" then bench.mark(d) end
  s:hangup("NORMAL_CLEARING")
end }
`

// BenchmarkOutboundCalls (target 2a): the simulator dials the host's
// outbound listener ("socket ... async full"), outboundConcurrency calls
// at a time; one op is one call run to its hangup.
func BenchmarkOutboundCalls(b *testing.B) {
	rig := newConsumerRig(b, map[string]string{"ivr.lua": ivrBenchScript})
	var misses atomic.Int64
	rig.mod.mark = func(*lua.LState) { misses.Add(1) }
	sim := esltest.New(b, esltest.Options{TimeScale: outboundTimeScale})
	addr := serveOutbound(b, rig.h, host.ListenerOptions{Name: "ivr", Script: "ivr"})
	var failed atomic.Int64
	sem := make(chan struct{}, outboundConcurrency)
	done := make(chan struct{}, b.N)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; done <- struct{}{} }()
			if !runIVRCall(sim, addr) {
				failed.Add(1)
			}
		}()
	}
	for range b.N {
		<-done
	}
	waitHandled(b, rig.obs.endedAll, b.N, nil) // scripts return after the hangup
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "calls/s")
	b.ReportMetric(float64(misses.Load()), "digit-misses")
	if why := rig.check(); why != "" || failed.Load() != 0 {
		b.Fatalf("%d calls failed; %s", failed.Load(), why)
	}
	// The script hangs up itself, so a call ends with its hangup cause.
	if got := rig.obs.ended("NORMAL_CLEARING"); got != int64(b.N) {
		b.Fatalf("%d sessions ended after a normal hangup, want %d", got, b.N)
	}
}

// runIVRCall dials one call with its digits queued and waits for its
// hangup; true when the script answered and hung up normally.
func runIVRCall(sim *esltest.Server, addr string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), callWait)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{DTMF: "1234#"})
	if _, err := sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		return false
	}
	select {
	case <-call.Done():
	case <-ctx.Done():
		return false
	}
	return call.Answered() && call.HangupCause() == "NORMAL_CLEARING"
}

// serveOutbound runs an outbound listener on a free loopback port until
// the benchmark ends and returns its address.
func serveOutbound(tb testing.TB, h *host.Host, lo host.ListenerOptions) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Skip("no loopback:", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- h.ServeOutbound(ctx, l, lo) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			tb.Error(err)
		}
	})
	return l.Addr().String()
}
