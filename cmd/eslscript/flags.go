package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/config"
	"github.com/urfave/cli/v2"
)

// configFlag names the --config flag.
const configFlag = "config"

// configFlags returns --config plus one flag per config setting that has
// one (environment-only settings, like the password, get none). The
// environment variables are read by the config package, not by cli, so
// that tests can inject them; the help text names them.
//
// only, when given, keeps the settings whose flag it names: a command
// shows and accepts only the flags that apply to it.
func configFlags(only ...string) []cli.Flag {
	flags := []cli.Flag{&cli.StringFlag{
		Name: configFlag, Aliases: []string{"c"},
		Usage: "YAML config file [$" + config.EnvConfig + "]",
	}}
	for _, s := range config.Settings() {
		if s.Flag == "" || (len(only) > 0 && !slices.Contains(only, s.Flag)) {
			continue
		}
		usage := fmt.Sprintf("%s [$%s]", s.Usage, s.Env)
		if s.Bool {
			flags = append(flags, &cli.BoolFlag{Name: s.Flag, Usage: usage})
		} else {
			flags = append(flags, &cli.StringFlag{Name: s.Flag, Usage: usage})
		}
	}
	return flags
}

// loadConfig loads the configuration from --config (or ESLSCRIPT_CONFIG),
// the environment and the flags set on c's command line. extra flags
// (like a positional scripts directory) override everything.
func loadConfig(c *cli.Context, e *env, extra map[string]string) (*config.Config, error) {
	flags := map[string]string{}
	for _, s := range config.Settings() {
		if s.Flag == "" || !hasFlag(c, s.Flag) || !c.IsSet(s.Flag) {
			continue
		}
		if s.Bool {
			flags[s.Flag] = strconv.FormatBool(c.Bool(s.Flag))
		} else {
			flags[s.Flag] = c.String(s.Flag)
		}
	}
	for k, v := range extra {
		flags[k] = v
	}
	return config.Load(config.Options{
		Path:     c.String(configFlag),
		Lookup:   e.LookupEnv,
		Flags:    flags,
		ReadFile: e.ReadFile,
	})
}

// hasFlag reports whether c's command defines the flag name.
func hasFlag(c *cli.Context, name string) bool {
	if c.Command == nil {
		return false
	}
	for _, f := range c.Command.Flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

// nodeFlagNames are the settings of the FreeSWITCH connection (node
// "default") and the log, for the commands that only talk to FreeSWITCH.
var nodeFlagNames = []string{"fs-address", "fs-password-file", "fs-user", "fs-event-format", "log-level", "log-format"}

// adminFlagNames are the settings of the commands that talk to a running
// daemon's admin endpoint.
var adminFlagNames = []string{"admin"}

// execFlagNames are the settings `eslscript exec` reads: the nodes, the
// log, the scripts directory (require), the scripts' limits and the kv
// store.
func execFlagNames() []string {
	names := append([]string{"scripts", "busy-budget", "memory-limit", "string-limit"}, nodeFlagNames...)
	for _, s := range config.Settings() {
		if strings.HasPrefix(s.Flag, "kv-") {
			names = append(names, s.Flag)
		}
	}
	return names
}
