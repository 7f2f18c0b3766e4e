package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/scripttest"
)

// demoCallTimeout bounds one simulated call; a script still running then
// sees the caller hang up.
const demoCallTimeout = 20 * time.Second

// demo drives simulated calls and events into the scripts and prints a
// summary of each call.
type demo struct {
	sim  *scripttest.Simulation
	dtmf string // digits every caller presses
	out  io.Writer
	log  *slog.Logger
}

// run places one call per session script (a plain call when there is
// none, so consumers still see channel events), then fires the other
// events the consumer scripts handle. Each waits until the scripts
// handled what it caused; the last wait lets the scripts settle (a bgapi
// callback run).
func (dm *demo) run(ctx context.Context, g *host.Generation) {
	sessions := sessionScripts(g)
	if len(sessions) == 0 {
		fmt.Fprintln(dm.out, "no session scripts: placing one call that no script answers")
		dm.plainCall(ctx)
	}
	for i, name := range sessions {
		if ctx.Err() != nil {
			return
		}
		dm.summarize(i+1, name, dm.call(ctx, i+1, name))
	}
	dm.fireEvents(g)
	if err := dm.sim.Settle(); err != nil && ctx.Err() == nil {
		dm.log.Warn("eslscript: the scripts did not settle", "error", err)
	}
	fmt.Fprintf(dm.out, "demo done: %d calls\n", max(len(sessions), 1))
}

// sessionScripts lists the scripts with a session handler, by name.
func sessionScripts(g *host.Generation) []string {
	var names []string
	for _, s := range g.Scripts() {
		if s.Session {
			names = append(names, s.Name)
		}
	}
	return names
}

// call places call n into script name, the caller pressing dm.dtmf at
// every digit prompt, and returns it once it ended.
func (dm *demo) call(ctx context.Context, n int, name string) *esltest.Call {
	c, err := dm.sim.Call(scripttest.SimCall{Script: name, Digits: dm.dtmf, Timeout: demoCallTimeout,
		Caller: esltest.CallOptions{CallerIDNumber: fmt.Sprintf("%d", 1000+n), CallerIDName: "Demo Caller", Destination: "9000"}})
	switch {
	case err != nil && ctx.Err() == nil:
		dm.log.Error("eslscript: simulated call failed", "script", name, "error", err)
		c.Hangup("NORMAL_TEMPORARY_FAILURE")
	case err != nil: // the demo was cut short: the caller hangs up
		c.Hangup("NORMAL_CLEARING")
	}
	<-c.Done()
	return c
}

// plainCall answers and hangs up a call with no socket, for consumers.
func (dm *demo) plainCall(ctx context.Context) {
	c := dm.sim.Primary().NewCall(esltest.CallOptions{CallerIDNumber: "1001", CallerIDName: "Demo Caller", Destination: "9000"})
	c.Answer()
	c.Hangup("NORMAL_CLEARING")
	select {
	case <-c.Done():
	case <-ctx.Done():
	}
}

// summarize prints what a call's script did.
func (dm *demo) summarize(n int, script string, c *esltest.Call) {
	var b strings.Builder
	fmt.Fprintf(&b, "call %d: script %s, uuid %s\n", n, script, c.UUID())
	for _, x := range c.Executed() {
		fmt.Fprintf(&b, "  %s\n", strings.TrimSpace("app "+x.App+" "+x.Args))
	}
	if to := c.TransferredTo(); to != "" {
		fmt.Fprintf(&b, "  transferred to %s\n", to)
	}
	fmt.Fprintf(&b, "  hangup %s\n", c.HangupCause())
	io.WriteString(dm.out, b.String())
}

// fireEvents fires one event for every event name or CUSTOM subclass a
// consumer handles that the calls did not produce (CHANNEL_* and DTMF),
// each once the handlers of the one before ran.
func (dm *demo) fireEvents(g *host.Generation) {
	for _, key := range eventKeys(g) {
		if strings.HasPrefix(key, "CHANNEL_") || key == "DTMF" || key == "*" {
			continue
		}
		err := dm.sim.Fire(key, sampleHeaders[key])
		fmt.Fprintf(dm.out, "fired event %s\n", key)
		if err != nil && !errors.Is(err, context.Canceled) {
			dm.log.Warn("eslscript: a fired event did not reach the scripts", "event", key, "error", err)
		}
	}
}

// eventKeys lists every event key of every script, sorted, once.
func eventKeys(g *host.Generation) []string {
	seen := map[string]bool{}
	var keys []string
	for _, s := range g.Scripts() {
		for _, k := range s.Events {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
