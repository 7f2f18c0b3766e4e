package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/urfave/cli/v2"
)

func init() { register(apiCommand) }

// apiCommand sends one api command to a node and prints the reply, like
// `fs_cli -x`.
func apiCommand(e *env) *cli.Command {
	flags := append(configFlags(nodeFlagNames...), nodeFlag(),
		&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "how long to wait for the reply"})
	return &cli.Command{
		Name:      "api",
		Usage:     "send one api command to FreeSWITCH and print the reply (like fs_cli -x)",
		ArgsUsage: "COMMAND [ARG...]",
		Description: "Connects to the configured node (--node NAME, else the first by name; --fs-address and " +
			"the password as for `run`), sends `api COMMAND ARG...` and prints FreeSWITCH's reply on stdout: " +
			"eslscript api show channels. Exit code: 0, 5 when FreeSWITCH answers -ERR, 1 when the node cannot " +
			"be reached or does not answer in --timeout, 6 when it refuses the password, 2 for a bad command " +
			"line or configuration.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return apiAction(c, e) },
	}
}

func apiAction(c *cli.Context, e *env) error {
	if c.NArg() == 0 {
		return exitError(errors.New("eslscript: api: missing COMMAND (usage: eslscript api COMMAND [ARG...])"), exitUsage)
	}
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
	defer cancel()
	client, _, err := dialNode(ctx, e, cfg, c.String("node"))
	if err != nil {
		return err
	}
	defer client.Close()
	out, err := client.API(ctx, strings.Join(c.Args().Slice(), " "))
	writeReply(e.Stdout, out)
	var ce *esl.CommandError
	switch {
	case errors.As(err, &ce):
		return cli.Exit("", exitScriptError)
	case err != nil:
		return exitError(fmt.Errorf("eslscript: api: %w", err), exitFailure)
	}
	return nil
}

// writeReply prints a reply, ending it with a newline.
func writeReply(w io.Writer, out string) {
	if out == "" {
		return
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	_, _ = io.WriteString(w, out)
}
