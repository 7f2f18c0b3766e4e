package host_test

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestZZConsumerTimeline(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	s := loadBenchStream(t, benchCalls)
	b := &testing.B{}
	_ = b
	rig := newConsumerRig(t, map[string]string{"consumer.lua": consumerScript})
	fs := startFakeFS(t, blastPlan{s: s, total: 200000, window: windowSize(), credit: rig.obs.handled.Load})
	c := dialFakeFS(t, fs)
	start := time.Now()
	if err := rig.h.AddNode(t.Context(), "fs", c); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	for rig.obs.handled.Load() < 200000 {
		time.Sleep(20 * time.Millisecond)
		runtime.ReadMemStats(&ms)
		st := rig.h.Status()
		fmt.Printf("%6.2fs sent=%d handled=%d queued=%d heap=%dMB gc=%d\n", time.Since(start).Seconds(), fs.sent.Load(), rig.obs.handled.Load(), st.Queued, ms.HeapAlloc>>20, ms.NumGC)
	}
}
