package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
	"github.com/urfave/cli/v2"
)

// commandFunc builds one subcommand for the process environment e.
type commandFunc func(e *env) *cli.Command

// commands lists every subcommand. Each lives in its own file and adds
// itself in an init function, so adding a command is adding one file.
var commands []commandFunc

// register adds a subcommand (call it from an init function).
func register(f commandFunc) { commands = append(commands, f) }

// run runs the command line args (args[0] is the program name) and returns
// the process exit code. It never calls os.Exit.
func run(ctx context.Context, e *env, args []string) int {
	app := newApp(e)
	if len(args) < 2 { // no command: the help, as a usage error
		app.Writer = e.Stderr
		_ = app.RunContext(ctx, append(args, "help"))
		return exitUsage
	}
	err := app.RunContext(ctx, flagsFirst(app.Commands, args))
	if err == nil && unknownCommand(app) {
		return exitUsage
	}
	return report(e, err)
}

// newApp builds the CLI application with every registered command.
func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:           "eslscript",
		Usage:          "run Lua scripts against FreeSWITCH's event socket",
		Version:        version,
		HideVersion:    true,
		HideHelp:       true, // see helpFlag
		Flags:          []cli.Flag{helpFlag()},
		Writer:         e.Stdout,
		ErrWriter:      e.Stderr,
		Reader:         e.Stdin,
		ExitErrHandler: func(*cli.Context, error) {}, // run reports errors; never os.Exit
		OnUsageError:   usageError,
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(e.Stderr, "eslscript: unknown command %q (see `eslscript help`)\n", name)
			c.App.Metadata[unknownCommandKey] = true
		},
		Metadata:              map[string]any{},
		CustomAppHelpTemplate: cli.AppHelpTemplate + "\n" + exitCodesHelp + "\n",
	}
	for _, f := range append([]commandFunc{helpCommand}, commands...) {
		cmd := f(e)
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = usageError
		}
		cmd.HideHelp = true
		cmd.Flags = append(cmd.Flags, helpFlag())
		app.Commands = append(app.Commands, cmd)
	}
	sort.Slice(app.Commands, func(i, j int) bool { return app.Commands[i].Name < app.Commands[j].Name })
	return app
}

// unknownCommandKey marks, in App.Metadata, that CommandNotFound ran
// (urfave/cli gives that handler no way to return an error).
const unknownCommandKey = "unknown-command"

func unknownCommand(app *cli.App) bool {
	v, _ := app.Metadata[unknownCommandKey].(bool)
	return v
}

// usageError turns a flag parsing error into the usage exit code.
func usageError(_ *cli.Context, err error, _ bool) error {
	return cli.Exit("eslscript: "+err.Error(), exitUsage)
}

// report prints err (if any) and returns the exit code it stands for.
func report(e *env, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if msg := e.redact.String(err.Error()); msg != "" {
		fmt.Fprintln(e.Stderr, msg)
	}
	return code
}

// exitCode maps an error to an exit code: an explicit cli.ExitCoder wins,
// then configuration and script errors, else a runtime failure.
func exitCode(err error) int {
	var ec cli.ExitCoder
	var le *host.LoadError
	switch {
	case errors.As(err, &ec):
		return ec.ExitCode()
	case errors.Is(err, config.ErrInvalid):
		return exitUsage
	case errors.As(err, &le):
		return exitScripts
	}
	return exitFailure
}

// exitError wraps err with an exit code, keeping its message.
func exitError(err error, code int) error {
	return cli.Exit(err.Error(), code)
}
