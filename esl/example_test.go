package esl_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// An inbound client: run api commands and consume events. The simulator
// stands in for FreeSWITCH.
func ExampleDial() {
	sim, err := esltest.Start(esltest.Options{})
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password(), Node: "fs1"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	host, _ := c.API(ctx, "hostname")
	fmt.Println("hostname:", strings.TrimSpace(host))

	sub := c.Subscribe(esl.SubscribeOptions{})
	if _, err := c.Send(ctx, esl.EventCmd{Format: esl.FormatPlain, Names: []string{"CUSTOM", "shop::order"}}); err != nil {
		panic(err)
	}
	ev := sim.CustomEvent("shop::order")
	ev.Set("Order-Total", "42.50 EUR")
	sim.Fire(ev)
	got := <-sub.C
	fmt.Println(got.Node, got.Subclass(), got.Get("Order-Total"))
	// Output:
	// hostname: esltest
	// fs1 shop::order 42.50 EUR
}

// An outbound server: FreeSWITCH's socket application connects once per
// call, and the handler drives the call from top to bottom.
func ExampleServer() {
	sim, err := esltest.Start(esltest.Options{TimeScale: 0.001})
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &esl.Server{Handler: func(ctx context.Context, s *esl.Session) {
		if _, err := s.Execute(ctx, "answer", ""); err != nil {
			return
		}
		done, err := s.Execute(ctx, "playback", "ivr/welcome.wav")
		if err == nil {
			fmt.Println("playback:", done.Get("Application-Response"))
		}
		_ = s.Hangup(ctx, "NORMAL_CLEARING")
	}}
	go func() { _ = srv.Serve(ln) }()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1000"})
	if _, err := sim.Dial(ctx, ln.Addr().String(), call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		panic(err)
	}
	if err := call.WaitHangup(ctx); err != nil {
		panic(err)
	}
	_ = srv.Shutdown(ctx)
	fmt.Println("hangup:", call.HangupCause())
	// Output:
	// playback: FILE PLAYED
	// hangup: NORMAL_CLEARING
}

// A consumer that keeps no event borrows them: it releases each one when
// done, and the connection reads later events into the same memory.
func ExampleSubscribeOptions_borrow() {
	sim, err := esltest.Start(esltest.Options{})
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password()})
	if err != nil {
		panic(err)
	}
	defer c.Close()

	sub := c.Subscribe(esl.SubscribeOptions{Borrow: true})
	if err := c.Events(ctx, "CUSTOM", "shop::order"); err != nil {
		panic(err)
	}
	for _, total := range []string{"12.00", "7.50"} {
		ev := sim.CustomEvent("shop::order")
		ev.Set("Order-Total", total)
		sim.Fire(ev)
	}
	var kept *esl.Event
	for i := range 2 {
		ev := <-sub.C
		total := ev.Get("Order-Total") // a copy: valid after Release
		if i == 0 {
			kept = ev.Clone() // the way to keep an event past Release
		}
		ev.Release()
		fmt.Println("order", total)
	}
	fmt.Println("first:", kept.Get("Order-Total"))
	// Output:
	// order 12.00
	// order 7.50
	// first: 12.00
}
