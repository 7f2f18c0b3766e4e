package main

import (
	"errors"
	"fmt"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/urfave/cli/v2"
)

func init() { register(checkCommand) }

// checkCommand compiles and validates every script of a directory.
func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "compile and validate every script, test file and listener route",
		ArgsUsage: "[DIR]",
		Description: "Loads every script of DIR (default: the configured scripts directory) as `run` would, " +
			"without connecting to FreeSWITCH, compiles every *_test.lua and checks that each listener's " +
			"default script is a session script. Prints FILE:LINE for every broken file and exits 3 " +
			"(2 for a listener naming no session script). Warnings (an events key that is no FreeSWITCH " +
			"event name) are printed and do not fail.",
		Flags: configFlags("scripts", "listen", "script"),
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c, e, dirArg(c))
			if err != nil {
				return err
			}
			return check(e, cfg)
		},
	}
}

// dirArg turns an optional DIR argument into a --scripts override.
func dirArg(c *cli.Context) map[string]string {
	if c.NArg() == 0 {
		return nil
	}
	return map[string]string{"scripts": c.Args().First()}
}

// check builds one generation of the scripts directory, compiles the test
// files, checks the listeners' routes and reports it all.
func check(e *env, cfg *config.Config) error {
	if err := checkScriptsDir(cfg.Scripts.Dir); err != nil {
		return err
	}
	l := &host.Loader{Dir: cfg.Scripts.Dir, Registry: bindings.NewRegistry(), Sandbox: wiring.Sandbox(cfg.Scripts)}
	g, err := l.Build(nil)
	testErrs := checkTestFiles(cfg.Scripts.Dir)
	if err != nil || len(testErrs) > 0 {
		return exitError(errors.Join(append([]error{err}, testErrs...)...), exitScripts)
	}
	warnings := g.Warnings()
	for _, w := range warnings {
		fmt.Fprintln(e.Stderr, "warning: "+w.String())
	}
	if err := wiring.CheckRoutes(cfg, g); err != nil {
		return err
	}
	msg := fmt.Sprintf("ok: %d scripts", len(g.Scripts()))
	if n := len(warnings); n > 0 {
		msg += fmt.Sprintf(", %d %s", n, plural(n, "warning", "warnings"))
	}
	_, err = fmt.Fprintln(e.Stdout, msg)
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
