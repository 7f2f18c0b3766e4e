package host

import (
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// TestDefaultKVExpiresUnreadKeys checks that the host's default kv drops
// expired keys nobody reads again (its sweeper runs), so they cannot pile up.
func TestDefaultKVExpiresUnreadKeys(t *testing.T) {
	old := kvSweepEvery
	kvSweepEvery = 5 * time.Millisecond
	defer func() { kvSweepEvery = old }()
	src := `local kv = require("kv")
return { init = function() kv.set("short", "x", 1); kv.set("kept", "y") end }
`
	th := startHost(t, map[string]string{"k.lua": src}, Options{})
	kv := th.opts.KV.(*bindings.MemoryKV)
	deadline := time.Now().Add(testWait)
	for kv.Len() != 1 { // polled: the sweeper tells nobody when it ran
		if time.Now().After(deadline) {
			t.Fatalf("%d keys after the ttl, want the expired one swept", kv.Len())
		}
		time.Sleep(time.Millisecond)
	}
	if v, ok := kv.Get("kept"); !ok || v != "y" {
		t.Fatalf("kept = %q, %v", v, ok)
	}
}
