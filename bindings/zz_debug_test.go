package bindings

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

func TestZZDebug(t *testing.T) {
	sim := esltest.New(t, esltest.Options{TimeScale: 0.01})
	type res struct {
		uuid, d string
		dur     time.Duration
	}
	results := make(chan res, 100)
	addr := serveScript(t, func(ctx context.Context, s *esl.Session) {
		st := time.Now()
		d := runDigitsScript(ctx, s, typeAheadScript)
		results <- res{s.UUID(), d, time.Since(st)}
	})
	var mu sync.Mutex
	calls := map[string]*esltest.Call{}
	for i := 0; i < 40; i++ {
		go func() {
			call := sim.NewCall(esltest.CallOptions{DTMF: "1234"})
			mu.Lock()
			calls[call.UUID()] = call
			mu.Unlock()
			sim.Dial(context.Background(), addr, call, esltest.DialOptions{Async: true, Full: true})
		}()
	}
	for i := 0; i < 40; i++ {
		r := <-results
		mu.Lock()
		call := calls[r.uuid]
		mu.Unlock()
		<-call.Done()
		if r.d != "1234" {
			fmt.Printf("%q %v pending=%q inv=%q\n", r.d, r.dur, call.PendingDTMF(), call.Var("eslscript_pagd_digits_invalid"))
			for _, e := range call.Executed() {
				fmt.Println("   ", e.App, e.Response)
			}
		}
	}
}
