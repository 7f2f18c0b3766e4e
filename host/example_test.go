package host_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// crmClient stands in for an embedding program's database or HTTP client:
// AddGo hands its methods to scripts as the crm module.
type crmClient struct{ tiers map[string]string }

// Tier returns the caller's tier; a method taking a context gets the
// script's (bounded by its budget), and an error reaches Lua as nil, err.
func (c *crmClient) Tier(_ context.Context, number string) (string, error) {
	if tier, ok := c.tiers[number]; ok {
		return tier, nil
	}
	return "", errors.New("unknown caller")
}

// The script routes callers by the tier the program's CRM module returns.
const routerScript = `local crm = require("crm")
return { session = function(session)
  session:answer()
  local tier = crm.tier(session:getVariable("caller_id_number")) or "basic"
  session:transfer(tier == "gold" and "vip" or "queue", "XML", "default")
end }
`

// Example_customModule embeds the host in a Go program: it hands a Go
// client to scripts as a Lua module beside the built-in ones in one call
// (Registry.AddGo; write a bindings.Module by hand for hot paths), loads
// a scripts directory, and serves FreeSWITCH's outbound socket (here the
// built-in simulator places the call).
func Example_customModule() {
	dir, _ := os.MkdirTemp("", "eslscript-example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "router.lua"), []byte(routerScript), 0o644)

	reg := bindings.NewRegistry()
	if err := reg.AddGo("crm", &crmClient{tiers: map[string]string{"1000": "gold"}}); err != nil {
		fmt.Println(err)
		return
	}
	h, err := host.New(host.Options{ScriptsDir: dir, Registry: reg, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	defer h.Shutdown(ctx)

	l, _ := net.Listen("tcp", "127.0.0.1:0")
	go h.ServeOutbound(ctx, l, host.ListenerOptions{Name: "main", Script: "router"})

	sim, _ := esltest.Start(esltest.Options{})
	defer sim.Close()
	call := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1000"})
	if _, err := sim.Dial(ctx, l.Addr().String(), call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		fmt.Println(err)
		return
	}
	<-call.Done()
	fmt.Println("transferred to", call.TransferredTo())
	// Output: transferred to vip
}
