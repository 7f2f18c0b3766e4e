package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// demoCallTimeout bounds one simulated call; a script still running then
// sees the caller hang up.
const demoCallTimeout = 20 * time.Second

// Waits for the events the demo causes to reach the host: fired events
// (demoEventTimeout at most) and the tail of the last call's events (until
// none came for demoSettle).
const (
	demoEventTimeout = 5 * time.Second
	demoSettle       = 100 * time.Millisecond
	// demoPoll is how often the simulated caller checks for a prompt.
	demoPoll = 5 * time.Millisecond
)

// demo drives simulated calls and events into the scripts and prints a
// summary of each call.
type demo struct {
	sim  *esltest.Server
	addr string // the outbound listener's address
	dtmf string // digits every caller presses
	out  io.Writer
	log  *slog.Logger
	// events counts what the host received, to wait for the demo's events.
	events *eventCounter
}

// run places one call per session script (a plain call when there is
// none, so consumers still see channel events), then fires the other
// events the consumer scripts handle.
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
	dm.fireEvents(ctx, g)
	dm.events.settle(ctx, demoSettle)
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

// call places call n into script name and waits until it ended.
func (dm *demo) call(ctx context.Context, n int, name string) *esltest.Call {
	c := dm.sim.NewCall(esltest.CallOptions{
		CallerIDNumber: fmt.Sprintf("%d", 1000+n), CallerIDName: "Demo Caller",
		Destination: "9000", Variables: map[string]string{host.ScriptVar: name}, DTMF: dm.dtmf,
	})
	conn, err := dm.sim.Dial(ctx, dm.addr, c, esltest.DialOptions{Async: true, Full: true})
	if err != nil {
		dm.log.Error("eslscript: simulated call failed", "script", name, "error", err)
		c.Hangup("NORMAL_TEMPORARY_FAILURE")
		return c
	}
	go dm.feedDTMF(c)
	timer := time.NewTimer(demoCallTimeout)
	defer timer.Stop()
	select {
	case <-c.Done():
	case <-conn.Done(): // the script ended without hanging up: the caller does
	case <-timer.C:
	case <-ctx.Done():
	}
	c.Hangup("NORMAL_CLEARING")
	<-c.Done()
	return c
}

// digitApps are the applications that wait for the caller's digits.
var digitApps = map[string]bool{"play_and_get_digits": true, "read": true}

// feedDTMF presses dm.dtmf each time an application starts waiting for
// digits, as a caller answering a menu would, until the call ends.
func (dm *demo) feedDTMF(c *esltest.Call) {
	tick := time.NewTicker(demoPoll)
	defer tick.Stop()
	fed := 0
	for {
		select {
		case <-c.Done():
			return
		case <-tick.C:
		}
		for i, x := range c.Executed() {
			if i >= fed && digitApps[x.App] {
				c.SendDTMF(dm.dtmf)
			}
			fed = max(fed, i+1)
		}
	}
}

// plainCall answers and hangs up a call with no socket, for consumers.
func (dm *demo) plainCall(ctx context.Context) {
	c := dm.sim.NewCall(esltest.CallOptions{CallerIDNumber: "1001", CallerIDName: "Demo Caller", Destination: "9000"})
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
// and waits until the host received them.
func (dm *demo) fireEvents(ctx context.Context, g *host.Generation) {
	want := dm.events.snapshot()
	fired := 0
	for _, key := range eventKeys(g) {
		if strings.HasPrefix(key, "CHANNEL_") || key == "DTMF" || key == "*" {
			continue
		}
		ev := dm.sim.NewEvent(key)
		if strings.Contains(key, "::") {
			ev = dm.sim.CustomEvent(key)
		}
		addSampleHeaders(ev, key)
		dm.sim.Fire(ev)
		want[ev.Name()]++
		fired++
		fmt.Fprintf(dm.out, "fired event %s\n", key)
	}
	if fired == 0 {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, demoEventTimeout)
	defer cancel()
	if !dm.events.waitCounts(wctx, want) {
		dm.log.Warn("eslscript: not every fired event reached the scripts")
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
