package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/urfave/cli/v2"
)

func init() { register(execCommand) }

// defaultExecTimeout bounds a one-shot run unless --timeout says
// otherwise: a cron job must not run forever.
const defaultExecTimeout = time.Hour

// execCommand runs one Lua file against FreeSWITCH and exits: the
// one-shot inbound mode, for cron jobs and ad-hoc commands.
func execCommand(e *env) *cli.Command {
	flags := append(configFlags(execFlagNames()...),
		&cli.DurationFlag{Name: "timeout", Value: defaultExecTimeout,
			Usage: "stop the script after this long (0: no limit, for long-running services)"},
		&cli.BoolFlag{Name: "simulate", Usage: "run against a built-in simulated FreeSWITCH and print the commands the script sent"},
		replyFlag(),
	)
	return &cli.Command{
		Name:      "exec",
		Usage:     "run one Lua file against FreeSWITCH, then exit",
		ArgsUsage: "FILE [ARG...]",
		Description: "Connects to the configured nodes (as `run` does), runs FILE top to bottom in the sandbox with " +
			"every module (esl is the first node by name; esl.node(name) the others) and the global argv " +
			"(argv[0] = FILE, argv[1..] = ARGs), then exits. require resolves modules from the scripts directory " +
			"when one is set (--scripts, $ESLSCRIPT_SCRIPTS, scripts.dir), else from FILE's directory.\n\n" +
			"Exit code: the integer 0-255 FILE returns, else 0; 3 when a script does not compile; 5 when it " +
			"raises (FILE:LINE: message) or runs past --timeout; 1 when a node cannot be reached; 6 when a node " +
			"refuses the password; 130 on SIGINT/SIGTERM; 2 for a bad command line or configuration " +
			"(see `eslscript help`).",
		Flags:  flags,
		Action: func(c *cli.Context) error { return execAction(c, e) },
	}
}

// execAction checks the arguments, loads the configuration and runs FILE
// against the configured nodes or the simulator.
func execAction(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return exitError(errors.New("eslscript: exec: missing FILE (usage: eslscript exec FILE [ARG...])"), exitUsage)
	}
	file := c.Args().First()
	if err := checkExecFile(file); err != nil {
		return err
	}
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	opts, err := execOptions(c, e, cfg)
	if err != nil {
		return err
	}
	wiring.SetMemoryLimit(opts.Limits)
	ctx, stop := signalContext(c.Context, e)
	defer stop()
	if c.Bool("simulate") {
		return execSimulated(ctx, e, cfg, opts, listFlag(c, "reply"))
	}
	if len(listFlag(c, "reply")) > 0 {
		return exitError(errNoSimulate, exitUsage)
	}
	return execNodes(ctx, e, cfg, opts)
}

// checkExecFile fails with the usage code when FILE cannot be read.
func checkExecFile(file string) error {
	fi, err := os.Stat(file)
	if err == nil && fi.IsDir() {
		err = errors.New("is a directory")
	}
	if err != nil {
		return exitError(fmt.Errorf("eslscript: exec: cannot run %s: %w", file, err), exitUsage)
	}
	return nil
}

// execOptions maps the command line and the configuration to RunFile's
// options (without nodes, logger and output).
func execOptions(c *cli.Context, e *env, cfg *config.Config) (host.RunFileOptions, error) {
	opts := host.RunFileOptions{
		File:    c.Args().First(),
		Args:    c.Args().Tail(),
		Sandbox: wiring.Sandbox(cfg.Scripts),
		Timeout: c.Duration("timeout"),
		Limits:  wiring.Limits(cfg.Scripts),
		Stdout:  e.Stdout,
	}
	if !scriptsDirSet(c, e, cfg) {
		opts.Sandbox.Dirs = nil // they name subdirectories of the scripts directory
		return opts, nil
	}
	opts.Dir = cfg.Scripts.Dir
	return opts, checkScriptsDir(opts.Dir)
}

// scriptsDirSet reports whether the scripts directory was chosen (flag,
// environment, or a config file value other than the default).
func scriptsDirSet(c *cli.Context, e *env, cfg *config.Config) bool {
	for _, s := range config.Settings() {
		if s.Flag != "scripts" {
			continue
		}
		if v, ok := e.LookupEnv(s.Env); c.IsSet(s.Flag) || (ok && v != "") {
			return true
		}
	}
	return cfg.Scripts.Dir != config.DefaultScriptsDir
}

// signalContext is ctx cancelled by SIGINT or SIGTERM.
func signalContext(ctx context.Context, e *env) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	sigs, stop := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() { stop(); cancel() }
}

// execResult turns RunFile's outcome into the command's error: a script
// error prints FILE:LINE: message.
func execResult(code int, err error) error {
	var re *host.RunError
	switch {
	case err == nil && code == exitOK:
		return nil
	case err == nil:
		return cli.Exit("", code)
	case errors.Is(err, context.Canceled):
		return exitError(fmt.Errorf("eslscript: exec: interrupted: %s", errWhere(err)), exitInterrupted)
	case errors.As(err, &re):
		return cli.Exit(re.Where(), exitScriptError)
	case errors.Is(err, host.ErrExitCode):
		return exitError(err, exitScriptError)
	}
	return err // *host.LoadError maps to exitScripts, the rest to exitFailure
}

// errWhere is a RunError's FILE:LINE: message, or the error text.
func errWhere(err error) string {
	var re *host.RunError
	if errors.As(err, &re) {
		return re.Where()
	}
	return err.Error()
}
