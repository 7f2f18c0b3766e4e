package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/eslscript/eslscript/scripttest"
	"github.com/urfave/cli/v2"
)

func init() { register(testCommand) }

// testCommand runs the Lua script tests (*_test.lua beside the scripts).
func testCommand(e *env) *cli.Command {
	flags := append(configFlags("scripts", "handler-budget"),
		&cli.BoolFlag{Name: "watch", Usage: "run the tests again when a file is saved (only those the change affects)"},
		&cli.BoolFlag{Name: "tap", Usage: "write TAP version 13 instead of the default report"},
		&cli.StringFlag{Name: "junit", Usage: "also write JUnit XML to `FILE`"},
		&cli.StringFlag{Name: "filter", Usage: "run only tests whose full name (describe... it) matches the Go regexp `PATTERN`"},
		&cli.DurationFlag{Name: "timeout", Value: scripttest.DefaultTimeout, Usage: "real-time budget of each test"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list passed and pending tests too"},
	)
	return &cli.Command{
		Name:      "test",
		Usage:     "run the script tests (*_test.lua) against the built-in FreeSWITCH simulator",
		ArgsUsage: "[PATH...]",
		Description: "Runs every *_test.lua under PATH (files or directories; default: the scripts directory). " +
			"Each test gets a fresh simulator and a fresh host on the scripts directory; a PATH outside it " +
			"is loaded as the scripts directory itself (as `check DIR` does). " +
			"With --watch, runs again the tests a saved file affects: a test file itself, " +
			"a script the test file beside it, a lib/ module or any other file every test. " +
			"Exits 4 when a test fails, 3 when a script does not compile.",
		Flags: flags,
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c, e, nil)
			if err != nil {
				return err
			}
			return runTests(c, e, cfg)
		},
	}
}

// runTests runs the tests once, or again on every change with --watch.
func runTests(c *cli.Context, e *env, cfg *config.Config) error {
	opts, err := testOptions(c, cfg)
	if err != nil {
		return err
	}
	if c.IsSet("watch") && c.Bool("watch") {
		return watchTests(c.Context, e, opts, c)
	}
	return testOnce(c.Context, e, opts, c)
}

// testOptions builds the runner options from the flags and configuration.
func testOptions(c *cli.Context, cfg *config.Config) (scripttest.Options, error) {
	opts := scripttest.Options{
		Paths:         c.Args().Slice(),
		Root:          cfg.Scripts.Dir,
		Timeout:       c.Duration("timeout"),
		HandlerBudget: cfg.Scripts.HandlerBudget, // as configured (at most the test's --timeout)
		Sandbox:       wiring.Sandbox(cfg.Scripts),
		Nodes:         simNodeNames(cfg), // the simulated nodes are named as configured
	}
	if p := c.String("filter"); p != "" {
		re, err := regexp.Compile(p)
		if err != nil {
			return opts, exitError(fmt.Errorf("eslscript: --filter: %w", err), exitUsage)
		}
		opts.Filter = re
	}
	return opts, nil
}

// testOnce runs the tests and maps the outcome to an exit code.
func testOnce(ctx context.Context, e *env, opts scripttest.Options, c *cli.Context) error {
	res, err := runWithReporters(ctx, e, opts, c)
	if err != nil {
		return err
	}
	if opts.Filter != nil && res.Passed+res.Failed+res.Skipped == 0 && res.Filtered > 0 {
		return exitError(fmt.Errorf("eslscript: test: --filter %q matches none of the %d tests "+
			"(a test's name is its describe names and its it name joined by spaces; -v lists them)", opts.Filter, res.Filtered), exitUsage)
	}
	return testExit(res)
}

// runWithReporters runs the tests with the reporters the flags ask for.
func runWithReporters(ctx context.Context, e *env, opts scripttest.Options, c *cli.Context) (*scripttest.Result, error) {
	if c.Bool("tap") {
		opts.Reporters = append(opts.Reporters, &scripttest.TAPReporter{W: e.Stdout})
	} else {
		opts.Reporters = append(opts.Reporters, &scripttest.TextReporter{W: e.Stdout, Verbose: c.Bool("verbose")})
	}
	var junit *os.File
	if path := c.String("junit"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return nil, exitError(fmt.Errorf("eslscript: --junit: %w", err), exitUsage)
		}
		junit = f
		opts.Reporters = append(opts.Reporters, &scripttest.JUnitReporter{W: f})
	}
	res, err := scripttest.Run(ctx, opts)
	if junit != nil {
		err = errors.Join(err, junit.Close())
	}
	if err != nil && res == nil {
		return nil, exitError(fmt.Errorf("eslscript: test: %w", err), exitUsage)
	}
	return res, err
}

// testExit maps a result to the exit code: 3 when a script (or test
// file) does not compile, 4 when any test failed, else success.
func testExit(res *scripttest.Result) error {
	for _, f := range res.Files {
		if f.Err != nil && f.Err.Kind == scripttest.KindScript {
			return cli.Exit("", exitScripts)
		}
	}
	if !res.OK() {
		return cli.Exit("", exitTestsFailed)
	}
	return nil
}

// watchTests runs the tests, then again after every change under the
// scripts directories, until ctx ends or SIGINT/SIGTERM.
func watchTests(ctx context.Context, e *env, opts scripttest.Options, c *cli.Context) error {
	sigs, stop := e.Signals(os.Interrupt)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return scripttest.Watch(ctx, opts, func(wr scripttest.WatchRun) {
		if len(wr.Changed) > 0 {
			fmt.Fprintf(e.Stdout, "changed: %s; running %d test file(s)\n", strings.Join(wr.Changed, ", "), len(wr.Files))
		}
		run := opts
		run.Only = wr.Files
		if _, err := runWithReporters(ctx, e, run, c); err != nil {
			fmt.Fprintln(e.Stderr, err)
		}
		io.WriteString(e.Stdout, "watching for changes (Ctrl-C to stop)\n")
	})
}
