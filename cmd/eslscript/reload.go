package main

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/eslscript/eslscript/ops"
	"github.com/urfave/cli/v2"
)

func init() { register(reloadCommand) }

// reloadCommand asks a running daemon to reload its scripts.
func reloadCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "reload",
		Usage: "reload the scripts of a running daemon (through its admin endpoint)",
		Description: "Sends POST /reload to the admin endpoint of the configuration (admin.address, " +
			"ESLSCRIPT_ADMIN or --admin). Exits 0 when the new scripts run, 3 when they fail to load " +
			"(the daemon keeps the running ones), 1 when the daemon cannot be reached. Sending SIGHUP " +
			"to the daemon does the same without the admin endpoint.",
		Flags:  configFlags(adminFlagNames...),
		Action: func(c *cli.Context) error { return reloadAction(c, e) },
	}
}

func reloadAction(c *cli.Context, e *env) error {
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	code, body, err := adminCall(c.Context, e, cfg, http.MethodPost, "/reload")
	if err != nil {
		return err
	}
	var res ops.ReloadResult
	if code != http.StatusOK && code != http.StatusUnprocessableEntity || json.Unmarshal(body, &res) != nil {
		base, _ := adminURL(cfg)
		return adminRefused(code, base)
	}
	if !res.OK {
		return cli.Exit(fmt.Sprintf("eslscript: reload failed, generation %d keeps running: %s", res.Generation, res.Error), exitScripts)
	}
	if !res.Changed {
		fmt.Fprintf(e.Stdout, "unchanged: generation %d already runs the scripts on disk\n", res.Generation)
		return nil
	}
	fmt.Fprintf(e.Stdout, "reloaded: generation %d\n", res.Generation)
	return nil
}
