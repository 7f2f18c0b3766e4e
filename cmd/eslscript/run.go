package main

import (
	"context"

	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/urfave/cli/v2"
)

func init() { register(runCommand) }

// runCommand is the foreground daemon.
func runCommand(e *env) *cli.Command {
	flags := append(configFlags(),
		&cli.BoolFlag{Name: "simulate", Usage: "run a demo against a built-in simulated FreeSWITCH instead of the configured nodes"},
		&cli.DurationFlag{Name: "duration", Usage: "stop after this long (0: until the demo ends, or forever without --simulate)"},
		&cli.StringFlag{Name: "dtmf", Value: "1", Usage: "with --simulate: the digits each simulated caller presses"},
	)
	return &cli.Command{
		Name:      "run",
		Usage:     "run the scripts (foreground daemon)",
		ArgsUsage: "[DIR]",
		Description: "Loads the scripts of DIR (default: the configured scripts directory), connects to every node, " +
			"serves every outbound listener and runs until SIGTERM or SIGINT, then drains: no new calls, live ones " +
			"may finish for drain.timeout. SIGHUP reloads the scripts.\n\n" +
			"The ESL password of node \"default\" (--fs-address) comes from $ESLSCRIPT_FS_PASSWORD, " +
			"--fs-password-file or $ESL_PASSWORD; it is never taken from the command line.\n\n" +
			"With --simulate no FreeSWITCH is needed: a simulated one places a few calls into the scripts and the " +
			"command prints what they did.\n\n" + exitCodesHelp,
		Flags:  flags,
		Action: func(c *cli.Context) error { return runAction(c, e) },
	}
}

// runAction loads the configuration and runs the daemon or the demo.
func runAction(c *cli.Context, e *env) error {
	cfg, err := loadConfig(c, e, dirArg(c))
	if err != nil {
		return err
	}
	if err := checkScriptsDir(cfg.Scripts.Dir); err != nil {
		return err
	}
	log := wiring.NewLogger(e.Stderr, cfg.Log)
	ctx := c.Context
	if d := c.Duration("duration"); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	if c.Bool("simulate") {
		return simulate(ctx, e, cfg, log, c.String("dtmf"))
	}
	return serve(ctx, e, cfg, log)
}
