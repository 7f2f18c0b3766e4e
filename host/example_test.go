package host_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// crmModule is an embedding program's own Lua module: here a lookup in a
// Go map stands in for the program's database client.
func crmModule(accounts map[string]string) bindings.Module {
	return bindings.Module{Name: "crm", Open: func(L *lua.LState, _ *bindings.Env) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"tier": func(L *lua.LState) int {
				tier, ok := accounts[L.CheckString(1)]
				if !ok {
					L.Push(lua.LNil)
					L.Push(lua.LString("unknown caller"))
					return 2
				}
				L.Push(lua.LString(tier))
				return 1
			},
		})
	}}
}

// The script routes callers by the tier the program's CRM module returns.
const routerScript = `local crm = require("crm")
return { session = function(session)
  session:answer()
  local tier = crm.tier(session:getVariable("caller_id_number")) or "basic"
  session:transfer(tier == "gold" and "vip" or "queue", "XML", "default")
end }
`

// Example_customModule embeds the host in a Go program: it registers its
// own Lua module beside the built-in ones, loads a scripts directory, and
// serves FreeSWITCH's outbound socket (here the built-in simulator places
// the call).
func Example_customModule() {
	dir, _ := os.MkdirTemp("", "eslscript-example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "router.lua"), []byte(routerScript), 0o644)

	reg := bindings.NewRegistry()
	if err := reg.Add(crmModule(map[string]string{"1000": "gold"})); err != nil {
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
