package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// lockedWriter serialises the lines of several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write implements io.Writer.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// tracedEvents are the call events `eslscript sim` prints.
var tracedEvents = []string{"CHANNEL_CREATE", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "DTMF", "CHANNEL_HANGUP_COMPLETE"}

// traceCalls connects to the simulator as an ESL client and prints a line
// per call event until ctx ends or stop is called.
func traceCalls(ctx context.Context, sim *esltest.Server, out io.Writer) (stop func(), err error) {
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password()})
	if err != nil {
		return nil, err
	}
	sub := c.Subscribe(esl.SubscribeOptions{})
	if err := c.Events(ctx, tracedEvents...); err != nil {
		_ = c.Close()
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range sub.C {
			if line := traceLine(sim, ev); line != "" {
				fmt.Fprintln(out, line)
			}
		}
	}()
	return func() { _ = c.Close(); <-done }, nil
}

// traceLine describes a call event in one line ("" to skip it); the
// hangup says where the call was transferred (uuid_transfer or the
// transfer application: the simulator has no dialplan to run there).
func traceLine(sim *esltest.Server, ev *esl.Event) string {
	id := "call " + ev.UniqueID() + ": "
	app := strings.TrimSpace(ev.Get("Application") + " " + ev.Get("Application-Data"))
	switch ev.Name() {
	case "CHANNEL_CREATE":
		return id + "new " + ev.Get("Call-Direction") + " call from " + ev.Get("Caller-Caller-ID-Number") +
			" to " + ev.Get("Caller-Destination-Number")
	case "CHANNEL_EXECUTE":
		return id + "execute " + app
	case "CHANNEL_EXECUTE_COMPLETE":
		return id + "done " + app + " -> " + ev.Get("Application-Response")
	case "DTMF":
		return id + "DTMF " + ev.Get("DTMF-Digit")
	case "CHANNEL_HANGUP_COMPLETE":
		line := id + "hangup " + ev.Get("Hangup-Cause")
		if c := sim.Call(ev.UniqueID()); c != nil && c.TransferredTo() != "" {
			line = id + "transferred to " + c.TransferredTo() + "\n" + line
		}
		return line
	}
	return ""
}
