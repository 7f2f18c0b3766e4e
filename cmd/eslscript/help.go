package main

import "github.com/urfave/cli/v2"

// urfave/cli shares one global --help flag and one global help command
// among all apps and mutates them while parsing, which races when several
// apps run at once (in-process tests). Every app therefore hides the
// built-in ones and gets fresh instances of its own.

// helpFlag returns a new --help flag. urfave/cli's parser recognizes it by
// name and shows the help.
func helpFlag() cli.Flag {
	return &cli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help"}
}

// helpCommand is `eslscript help [COMMAND]`.
func helpCommand(*env) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the commands, or one command's help",
		ArgsUsage: "[COMMAND]",
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.ShowAppHelp(c)
			}
			return cli.ShowCommandHelp(c, c.Args().First())
		},
	}
}
