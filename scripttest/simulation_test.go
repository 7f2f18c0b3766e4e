package scripttest

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// menuScript reads a digit at a prompt and records it on the call; its
// consumer stores the ping's header in kv.
const menuScript = `local kv = require("kv")
return {
  session = function(s)
    s:answer()
    local d = s:playAndGetDigits(1, 1, 1, 5000, "#", "menu.wav", "", "\\d")
    s:execute("set", "got=" .. d)
    s:hangup()
  end,
  events = { ["demo::ping"] = function(ev) kv.set("pinged", ev:get("x")) end },
}
`

// A Simulation serves a host started outside it: the caller answers
// the prompt with its digits, Call returns once the call ended, Fire once
// the handler ran, and the nodes are named as asked.
func TestSimulationServesAHost(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sim, err := NewSimulation(ctx, []string{"fs2", "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if sim.Primary() != sim.Node("fs1") || sim.Node("fs2") == nil || sim.Node("fs3") != nil {
		t.Fatal("the default node is not fs1, or a node is missing")
	}
	if got := sim.Node("fs2").API("hostname"); !strings.Contains(got, "fs2") {
		t.Errorf("fs2's hostname: %q", got)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "menu.lua"), []byte(menuScript), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := host.New(host.Options{ScriptsDir: dir, Registry: bindings.NewRegistry(),
		Logger: slog.New(slog.DiscardHandler), Observer: sim.Observer()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Shutdown(context.Background())
	p := sim.Primary()
	c, err := esl.Dial(ctx, p.Addr(), esl.Options{Password: p.Password(), Node: "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := h.AddNode(ctx, "fs1", c); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.ServeOutbound(context.Background(), ln, host.ListenerOptions{Name: "sim"}) }()
	if err := sim.Attach(h, ln.Addr().String()); err != nil {
		t.Fatal(err)
	}

	call, err := sim.Call(SimCall{Script: "menu", Digits: "7", Caller: esltest.CallOptions{CallerIDNumber: "1001"}})
	if err != nil {
		t.Fatal(err)
	}
	if call.Up() {
		t.Error("Call returned with the call up")
	}
	var apps []string
	for _, x := range call.Executed() {
		apps = append(apps, x.App+" "+x.Args)
	}
	if s := strings.Join(apps, "\n"); !strings.Contains(s, "play_and_get_digits") || !strings.Contains(s, "set got=7") {
		t.Errorf("the caller's digit did not answer the prompt:\n%s", s)
	}

	if err := sim.Fire("demo::ping", map[string]string{"x": "42"}); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := h.KV().GetContext(ctx, "pinged"); err != nil || !ok || v != "42" {
		t.Errorf("after Fire, kv pinged = %q, %v, %v: the handler had not run", v, ok, err)
	}
}
