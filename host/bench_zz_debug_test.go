package host_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

const zzScript = `local bench = require("bench")
return { session = function(s)
  s:answer()
  s:streamFile("silence_stream://500")
  local d = s:playAndGetDigits(4, 4, 1, 60000, "#", "silence_stream://200", "", "")
  if d ~= "1234" then bench.bad(s:getVariable("uuid") .. " digits " .. tostring(d) .. " inv=" .. tostring(s:getVariable("eslscript_pagd_digits_invalid")) .. " term=" .. tostring(s:getVariable("read_terminator_used"))) end
  s:hangup("NORMAL_CLEARING")
end }
`

func TestZZIVR(t *testing.T) {
	rig := newConsumerRig(t, map[string]string{"ivr.lua": zzScript})
	sim := esltest.New(t, esltest.Options{TimeScale: outboundTimeScale})
	addr := serveOutbound(t, rig.h, host.ListenerOptions{Name: "ivr", Script: "ivr"})
	var wg sync.WaitGroup
	var mu sync.Mutex
	calls := map[string]*esltest.Call{}
	for i := 0; i < 1; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 500; j++ {
				call := sim.NewCall(esltest.CallOptions{DTMF: "1234#"})
				mu.Lock()
				calls[call.UUID()] = call
				mu.Unlock()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				sim.Dial(ctx, addr, call, esltest.DialOptions{Async: true, Full: true})
				select {
				case <-call.Done():
				case <-ctx.Done():
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	why := rig.mod.firstBad()
	fmt.Println(why)
	if why == "" {
		return
	}
	c := calls[why[:36]]
	for _, x := range c.Executed() {
		fmt.Printf("%+v\n", x)
	}
	for _, ev := range c.ReceivedEvents() {
		fmt.Println(ev.Name(), ev.Get("Application"), ev.Get("DTMF-Digit"))
	}
}
