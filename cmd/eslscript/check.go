package main

import (
	"fmt"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
	"github.com/urfave/cli/v2"
)

func init() { register(checkCommand) }

// checkCommand compiles and validates every script of a directory.
func checkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "compile and validate every script",
		ArgsUsage: "[DIR]",
		Description: "Loads every script of DIR (default: the configured scripts directory) as `run` would, " +
			"without connecting to FreeSWITCH. Prints FILE:LINE and exits 3 when a script is broken.",
		Flags: configFlags(),
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

// check builds one generation of the scripts directory and reports it.
func check(e *env, cfg *config.Config) error {
	if err := checkScriptsDir(cfg.Scripts.Dir); err != nil {
		return err
	}
	l := &host.Loader{Dir: cfg.Scripts.Dir, Registry: bindings.NewRegistry(), Sandbox: scriptsSandbox(cfg.Scripts)}
	g, err := l.Build(nil)
	if err != nil {
		return exitError(err, exitScripts)
	}
	_, err = fmt.Fprintf(e.Stdout, "ok: %d scripts\n", len(g.Scripts()))
	return err
}

// sandbox converts the configured sandbox to the host's.
func sandbox(s config.Sandbox) host.Sandbox {
	return host.Sandbox{AllowOS: s.AllowOS, AllowIO: s.AllowIO, ReadPaths: s.ReadPaths, WritePaths: s.WritePaths}
}
