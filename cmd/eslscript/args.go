package main

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// ownArgsAfterFirst are the commands whose arguments after the first
// belong to something else (exec: the script's argv; api: FreeSWITCH's
// command line): their flags must come before the first argument.
var ownArgsAfterFirst = map[string]bool{"exec": true, "api": true}

// flagsFirst moves the flags given after a command's arguments before
// them (`eslscript test dir --filter x` as `eslscript test --filter x
// dir`): urfave/cli stops reading flags at the first argument. A flag's
// value moves with it; "--" ends the flags as usual.
func flagsFirst(cmds []*cli.Command, args []string) []string {
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		i++ // global flags (--help)
	}
	if i >= len(args) {
		return args
	}
	cmd := findCommand(cmds, args[i])
	for cmd != nil && i+1 < len(args) { // eslscript kv set ...: the subcommand's flags
		sub := findCommand(cmd.Subcommands, args[i+1])
		if sub == nil {
			break
		}
		cmd, i = sub, i+1
	}
	if cmd == nil || ownArgsAfterFirst[cmd.Name] {
		return args
	}
	var flags, pos []string
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		switch {
		case a == "--":
			pos = append(pos, rest[j:]...)
			j = len(rest)
		case len(a) > 1 && strings.HasPrefix(a, "-"):
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue(cmd, a) && j+1 < len(rest) {
				flags = append(flags, rest[j+1])
				j++
			}
		default:
			pos = append(pos, a)
		}
	}
	out := append(slices.Clone(args[:i+1]), flags...)
	return append(out, pos...)
}

// findCommand returns the command called name (or an alias), or nil.
func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the flag arg ("--filter", "-v") of cmd reads
// the next argument as its value: every flag but a boolean one. An
// unknown flag takes none (cli reports it).
func takesValue(cmd *cli.Command, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	for _, f := range cmd.Flags {
		if slices.Contains(f.Names(), name) {
			_, isBool := f.(*cli.BoolFlag)
			return !isBool
		}
	}
	return false
}
