package daemon_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/daemon"
	"github.com/eslscript/eslscript/esl/esltest"
)

// A Go program runs the same daemon as `eslscript run`: here against the
// simulated FreeSWITCH of package esltest, which places one call into the
// daemon's outbound listener.
func ExampleStart() {
	sim, _ := esltest.Start(esltest.Options{Password: "ClueCon"})
	defer sim.Close()
	dir, _ := os.MkdirTemp("", "scripts")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "hello.lua"), []byte(`return { session = function(s)
  s:answer()
  s:execute("playback", "hello.wav")
  s:hangup()
end }`), 0o644)

	// The configuration as `eslscript run` builds it from its flags and
	// the environment (a YAML file works as well).
	env := map[string]string{"ESLSCRIPT_FS_PASSWORD": sim.Password()}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := config.Load(config.Options{Lookup: lookup, Flags: map[string]string{
		"scripts": dir, "fs-address": sim.Addr(), "listen": "127.0.0.1:0", "script": "hello", "admin": "off",
	}})
	if err == nil {
		err = cfg.Resolve(lookup, os.ReadFile)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	d, err := daemon.Start(ctx, cfg, daemon.Options{Logger: slog.New(slog.DiscardHandler), Version: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Shutdown(ctx) // drains: live calls get drain.timeout

	call := sim.NewCall(esltest.CallOptions{})
	if _, err := sim.Dial(ctx, d.Addr("default").String(), call, esltest.DialOptions{Async: true, Full: true}); err != nil {
		fmt.Println(err)
		return
	}
	<-call.Done()
	for _, x := range call.Executed() {
		fmt.Println(strings.TrimSpace(x.App + " " + x.Args))
	}
	fmt.Println("hangup", call.HangupCause())
	// Output:
	// answer
	// playback hello.wav
	// hangup NORMAL_CLEARING
}
