package host

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// floodEvent is a channel event of about 4 KiB on the wire (FreeSWITCH's
// CHANNEL_* events carry 2-4 KiB of headers and variables).
func floodEvent(seq int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Event-Name: CHANNEL_ANSWER\nUnique-ID: call-%08d\nEvent-Sequence: %d\n", seq%500, seq)
	for i := range 60 {
		fmt.Fprintf(&b, "variable_flood_%02d: value-%08d-%032d\n", i, seq, i)
	}
	b.WriteString("\n")
	return b.String()
}

// BenchmarkFloodHeap floods one script whose handler is held (a handler
// that never keeps up) with 4 KiB events read from 256 KiB chunks, as the
// esl reader hands them over, far past the script's queue caps, and
// reports the live heap the waiting events hold against the stated bound
// (ScriptQueueBytes; the count cap is set out of the way so that the byte
// cap is the one measured).
func BenchmarkFloodHeap(b *testing.B) {
	const (
		bound = 16 << 20
		sent  = 40_000 // ~160 MiB of events: 10x the bound
	)
	src := `local rec = require("rec")
return { events = { CHANNEL_ANSWER = function(ev) rec.put("slow", ev:get("Event-Sequence")); rec.wait("go") end }}
`
	for range b.N {
		rec := newLuaRecorder()
		reg := bindings.NewRegistry()
		if err := reg.Add(rec.module()); err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		writeFile(b, dir, "slow.lua", src)
		h, err := New(Options{ScriptsDir: dir, Registry: reg, Workers: 4, ScriptQueue: 1 << 30, ScriptQueueBytes: bound})
		if err != nil {
			b.Fatal(err)
		}
		before := liveHeap()
		floodFromChunks(h, sent)
		heap := liveHeap() - before
		b.ReportMetric(float64(heap)/(1<<20), "heapMiB")
		b.ReportMetric(float64(bound)/(1<<20), "boundMiB")
		b.ReportMetric(float64(h.squeue.queued("slow")), "queued")
		close(rec.gate("go"))
		_ = h.Shutdown(b.Context())
	}
}

// floodFromChunks dispatches n flood events parsed out of 256 KiB chunks
// (each aliases its chunk until a queue copies it); nothing but the host
// keeps them after.
func floodFromChunks(h *Host, n int) {
	var chunk []byte
	for seq := range n {
		text := floodEvent(seq)
		if chunk == nil || len(chunk)+len(text) > cap(chunk) {
			chunk = make([]byte, 0, 256<<10)
		}
		start := len(chunk)
		chunk = append(chunk, text...)
		ev, err := esl.ParseEvent(esl.FormatPlain, chunk[start:len(chunk):len(chunk)])
		if err != nil {
			panic(err)
		}
		h.dispatchEvent("n1", ev, time.Now())
	}
}
