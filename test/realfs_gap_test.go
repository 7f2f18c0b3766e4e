package test

import (
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// gapWatch logs every eslscript::gap and the node's state changes.
const gapWatch = `local log = require("log")
return { events = {
  ["eslscript::gap"] = function(ev)
    log.info("gap", { uuid = ev:get("Unique-ID") or "", gap_start = ev:get("Gap-Start"), gap_end = ev:get("Gap-End"),
      live = ev:get("Live-Calls") or "", callstate = ev:get("Channel-Call-State") or "",
      dest = ev:get("Caller-Destination-Number") or "", chan = ev:get("Channel-Name") or "" })
  end,
  ["eslscript::node_up"] = function(ev) log.info("node up", { attempt = ev:get("Attempt") }) end,
  ["eslscript::node_down"] = function(ev) log.info("node down") end,
}}
`

// The daemon's ESL connection is cut (a proxy between it and FreeSWITCH
// drops it and refuses new ones) while calls stay parked; during the cut
// one call ends and another starts. Once the connection is back, the
// consumer script gets eslscript::gap for exactly the calls FreeSWITCH
// still has (both legs of each; none for the call that ended unseen), with
// their state from "show channels as json", and the node's gap event; the
// window covers the cut.
func TestRealReconnectGapEvents(t *testing.T) {
	t.Parallel()
	fs := realfs.Start(t)
	rec := fs.Record(t)
	proxy := newCutProxy(t, fs.Addr)
	dir := writeScripts(t, withIdle(map[string]string{"gapwatch.lua": gapWatch}))
	d := startRealDaemon(t, fs, dir, idleScript, "--fs-address", proxy.Addr)
	d.waitLog("node_up at start", msg("node up", "attempt", "0"))

	parked := func() string {
		a := fs.Originate(t, "park", nil)
		rec.Wait(t, waitReal, "the b-leg's park", realfs.Named("CHANNEL_PARK", rec.BLeg(a)))
		return a
	}
	live1, live2, ends := parked(), parked(), parked()
	t.Cleanup(func() {
		for _, a := range []string{live1, live2, ends} {
			_, _ = fs.API(t.Context(), "uuid_kill "+a)
		}
	})

	lost := time.Now()
	proxy.cut()
	d.waitLog("node_down", msg("node down"))
	fs.MustAPI(t, "uuid_kill "+ends)
	hangupOf(t, rec, rec.BLegUUID(ends))
	born := parked() // starts and parks unseen
	t.Cleanup(func() { _, _ = fs.API(t.Context(), "uuid_kill "+born) })
	// FreeSWITCH lists a channel in "show channels" a moment after its
	// events, and fills its row (the destination) later still; the resync
	// waits a little for that, the test for sure
	waitListed(t, fs, live1, rec.BLegUUID(live1), live2, rec.BLegUUID(live2), born, rec.BLegUUID(born))
	back := time.Now()
	proxy.restore()

	node := d.waitLog("the node's gap event", func(l logLine) bool { return l.str("msg") == "gap" && l.str("uuid") == "" })
	if n, _ := strconv.Atoi(node.str("live")); n < 6 {
		t.Errorf("node gap event: Live-Calls %q, want at least our 6 channels", node.str("live"))
	}
	checkRealWindow(t, node, lost, back)
	for _, a := range []string{live1, live2, born} {
		for _, id := range []string{a, rec.BLegUUID(a)} {
			g := d.waitLog("the gap event of live channel "+id, msg("gap", "uuid", id))
			if g.str("callstate") != "ACTIVE" || g.str("dest") != "park" || !strings.HasPrefix(g.str("chan"), "loopback/park-") {
				t.Errorf("gap event of %s: %v, want callstate ACTIVE, destination park, a loopback channel", id, g)
			}
			checkRealWindow(t, g, lost, back)
		}
	}
	for _, id := range []string{ends, rec.BLegUUID(ends)} {
		if d.logs(msg("gap", "uuid", id)) != nil {
			t.Errorf("gap event for %s, which ended during the cut", id)
		}
	}
}

// waitListed waits until "show channels as json" lists each channel
// with its call state and destination (FreeSWITCH's table fills a row in
// steps, a moment after the channel's events).
func waitListed(t *testing.T, fs *realfs.FreeSWITCH, uuids ...string) {
	t.Helper()
	deadline := time.Now().Add(waitReal)
	for {
		var out struct {
			Rows []map[string]string `json:"rows"`
		}
		_ = json.Unmarshal([]byte(fs.MustAPI(t, "show channels as json")), &out)
		listed := map[string]bool{}
		for _, r := range out.Rows {
			listed[r["uuid"]] = r["callstate"] == "ACTIVE" && r["dest"] == "park"
		}
		missing := ""
		for _, id := range uuids {
			if !listed[id] {
				missing = id
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("show channels never listed %s as an active call to park", missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkRealWindow checks that a logged gap event's window covers the cut.
func checkRealWindow(t *testing.T, g logLine, lost, back time.Time) {
	t.Helper()
	start, err1 := strconv.ParseInt(g.str("gap_start"), 10, 64)
	end, err2 := strconv.ParseInt(g.str("gap_end"), 10, 64)
	if err1 != nil || err2 != nil || start > lost.UnixMicro() || end < back.UnixMicro() {
		t.Errorf("gap window %s..%s does not cover the cut %d..%d", g.str("gap_start"), g.str("gap_end"),
			lost.UnixMicro(), back.UnixMicro())
	}
}

// cutProxy relays TCP connections from Addr to a target until cut: then
// it drops the live ones and closes each new one at once, until restore.
type cutProxy struct {
	Addr   string
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
}

// newCutProxy starts a proxy to target, closed with the test.
func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{Addr: ln.Addr().String(), target: target, conns: map[net.Conn]bool{}}
	var open sync.WaitGroup
	t.Cleanup(func() { ln.Close(); p.cut(); open.Wait() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			open.Add(1)
			go func() { defer open.Done(); p.relay(c) }()
		}
	}()
	return p
}

// relay copies both ways until either side ends or the proxy is cut.
func (p *cutProxy) relay(c net.Conn) {
	fs, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(c, fs) {
		c.Close()
		if fs != nil {
			fs.Close()
		}
		return
	}
	done := make(chan struct{}, 2)
	go func() { copyConn(fs, c); done <- struct{}{} }()
	go func() { copyConn(c, fs); done <- struct{}{} }()
	<-done
	c.Close()
	fs.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, fs)
	p.mu.Unlock()
}

func copyConn(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// track registers a relayed pair; false while the proxy is cut.
func (p *cutProxy) track(c, fs net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c], p.conns[fs] = true, true
	return true
}

// cut drops every relayed connection and refuses new ones.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
}

// restore relays new connections again.
func (p *cutProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// FreeSWITCH restarts under the daemon with a call up: the call dies with
// it, so after the reconnect the script gets the node's gap event with
// Live-Calls 0 and no gap event for the call.
func TestRealRestartGapEventHasNoCalls(t *testing.T) {
	t.Parallel()
	fs := realfs.StartPrivate(t)
	dir := writeScripts(t, withIdle(map[string]string{"gapwatch.lua": gapWatch}))
	began := time.Now()
	d := startRealDaemon(t, fs, dir, idleScript)
	d.waitLog("node_up at start", msg("node up", "attempt", "0"))
	rec := fs.Record(t)
	call := fs.Originate(t, "park", nil)
	rec.Wait(t, waitReal, "the b-leg's park", realfs.Named("CHANNEL_PARK", rec.BLeg(call)))

	down := fs.Restart(t)
	node := d.waitLog("the node's gap event", func(l logLine) bool { return l.str("msg") == "gap" && l.str("uuid") == "" })
	if node.str("live") != "0" {
		t.Errorf("Live-Calls %q after a restart, want 0", node.str("live"))
	}
	// The window covers the moment FreeSWITCH was down (the daemon may be
	// back before Restart saw FreeSWITCH ready, so not its return); it
	// starts at the last event the daemon got, after it connected
	checkRealWindow(t, node, down, down)
	if start, _ := strconv.ParseInt(node.str("gap_start"), 10, 64); start < began.UnixMicro() {
		t.Errorf("gap start %d before the daemon started (%d)", start, began.UnixMicro())
	}
	if gaps := d.logs(msg("gap")); len(gaps) != 1 {
		t.Errorf("%d gap events, want only the node's: %v", len(gaps), gaps)
	}
}
