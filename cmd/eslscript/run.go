package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"syscall"
	"time"

	"github.com/eslscript/eslscript/config"
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
	log := newLogger(e.Stderr, cfg.Log)
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

// serve runs the daemon until ctx ends or a stop signal, then drains.
func serve(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger) error {
	if err := resolveSecrets(e, cfg); err != nil {
		return err
	}
	if len(cfg.Nodes) == 0 && len(cfg.Listeners) == 0 {
		log.Warn("eslscript: no nodes and no listeners configured: only init functions and timers will run")
	}
	sigs, stop := e.Signals(syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d, err := startDaemon(ctx, cfg, log, newDaemonMetrics(cfg))
	if err != nil {
		return err
	}
	return d.loop(ctx, sigs)
}

// loop handles signals until ctx ends or SIGTERM/SIGINT, then drains.
func (d *daemon) loop(ctx context.Context, sigs <-chan os.Signal) error {
	for {
		select {
		case <-ctx.Done():
			return d.drain(nil)
		case err := <-d.failed:
			d.log.Error("eslscript: listener failed, shutting down", "error", err)
			d.drain(nil)
			return exitError(err, exitFailure)
		case s := <-sigs:
			if s == syscall.SIGHUP {
				d.reload()
				continue
			}
			d.stopAccepting() // before the log line: a call placed after it is refused
			d.log.Info("eslscript: draining", "signal", s.String(), "timeout", d.cfg.Drain.Timeout)
			return d.drain(sigs)
		}
	}
}

// drain stops accepting calls, gives live ones drain.timeout (a second
// SIGTERM/SIGINT cuts it short), hangs up the rest and closes everything.
func (d *daemon) drain(sigs <-chan os.Signal) error {
	ctx, cancel := context.WithTimeout(context.Background(), d.cfg.Drain.Timeout)
	defer cancel()
	if sigs != nil {
		go func() {
			select {
			case <-sigs:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	start := time.Now()
	err := d.close(ctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("eslscript: shutdown: %w", err)
	}
	d.log.Info("eslscript: stopped", "drained_in", time.Since(start).Round(time.Millisecond))
	return nil
}
