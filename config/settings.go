package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Setting is one setting that can be given as a flag and an environment
// variable. Flag is empty for environment-only settings (the password).
type Setting struct {
	// Flag is the flag name without dashes ("fs-address").
	Flag string
	// Env is the environment variable ("ESLSCRIPT_FS_ADDRESS").
	Env string
	// Usage is the help text.
	Usage string
	// Bool marks an on/off flag (--watch).
	Bool bool
	set  func(c *Config, v string) error
}

// nodeOverride is node "default" as the flags and environment set it.
type nodeOverride struct {
	address, passwordFile, user, eventFormat string
	password                                 Secret
}

// listenerOverride is listener "default" as the flags and environment set it.
type listenerOverride struct {
	address, script string
}

var settings = []Setting{
	{Flag: "fs-address", Env: "ESLSCRIPT_FS_ADDRESS", Usage: "FreeSWITCH ESL host:port (defines node \"default\")",
		set: func(c *Config, v string) error { c.override.address = v; return nil }},
	{Flag: "fs-password-file", Env: "ESLSCRIPT_FS_PASSWORD_FILE", Usage: "file holding node \"default\"'s ESL password",
		set: func(c *Config, v string) error { c.override.passwordFile = v; return nil }},
	{Env: "ESLSCRIPT_FS_PASSWORD", Usage: "node \"default\"'s ESL password (environment only)",
		set: func(c *Config, v string) error { c.override.password = Secret(v); return nil }},
	{Flag: "fs-user", Env: "ESLSCRIPT_FS_USER", Usage: "node \"default\"'s userauth user",
		set: func(c *Config, v string) error { c.override.user = v; return nil }},
	{Flag: "fs-event-format", Env: "ESLSCRIPT_FS_EVENT_FORMAT", Usage: "node \"default\"'s event format: plain or json",
		set: func(c *Config, v string) error { return parseEventFormat(v, &c.override.eventFormat) }},
	{Flag: "listen", Env: "ESLSCRIPT_LISTEN", Usage: "outbound listener host:port (defines listener \"default\")",
		set: func(c *Config, v string) error { c.listen.address = v; return nil }},
	{Flag: "script", Env: "ESLSCRIPT_SCRIPT", Usage: "default script of listener \"default\"",
		set: func(c *Config, v string) error { c.listen.script = v; return nil }},
	{Flag: "scripts", Env: "ESLSCRIPT_SCRIPTS", Usage: "scripts directory",
		set: func(c *Config, v string) error { c.Scripts.Dir = v; return nil }},
	{Flag: "watch", Env: "ESLSCRIPT_WATCH", Usage: "reload scripts when they change", Bool: true,
		set: func(c *Config, v string) error { return parseBool(v, &c.Scripts.Watch) }},
	{Flag: "handler-budget", Env: "ESLSCRIPT_HANDLER_BUDGET", Usage: "time budget of one event handler",
		set: func(c *Config, v string) error { return parseDuration(v, &c.Scripts.HandlerBudget) }},
	{Flag: "session-budget", Env: "ESLSCRIPT_SESSION_BUDGET", Usage: "time budget of one outbound call",
		set: func(c *Config, v string) error { return parseDuration(v, &c.Scripts.SessionBudget) }},
	{Flag: "log-level", Env: "ESLSCRIPT_LOG_LEVEL", Usage: "debug, info, warn or error",
		set: func(c *Config, v string) error { c.Log.Level = v; return nil }},
	{Flag: "log-format", Env: "ESLSCRIPT_LOG_FORMAT", Usage: "text or json",
		set: func(c *Config, v string) error { c.Log.Format = v; return nil }},
	{Flag: "admin", Env: "ESLSCRIPT_ADMIN", Usage: "admin HTTP host:port (default 127.0.0.1:9180; \"off\": disabled)",
		set: func(c *Config, v string) error { c.Admin.Address = v; return nil }},
	{Flag: "drain-timeout", Env: "ESLSCRIPT_DRAIN_TIMEOUT", Usage: "how long live calls may run after SIGTERM",
		set: func(c *Config, v string) error { return parseDuration(v, &c.Drain.Timeout) }},
}

// Settings lists every setting that has a flag or an environment variable.
func Settings() []Setting { return append([]Setting(nil), settings...) }

// applyEnv applies every set, non-empty environment variable.
func (c *Config) applyEnv(lookup func(string) (string, bool)) error {
	if lookup == nil {
		return nil
	}
	for _, s := range settings {
		if v, ok := lookup(s.Env); ok && v != "" {
			if err := s.set(c, v); err != nil {
				return &Error{Key: s.Env, Msg: err.Error()}
			}
		}
	}
	return nil
}

// applyFlags applies the flags given on the command line.
func (c *Config) applyFlags(flags map[string]string) error {
	for _, s := range settings {
		v, ok := flags[s.Flag]
		if !ok || s.Flag == "" {
			continue
		}
		if err := s.set(c, v); err != nil {
			return &Error{Key: "--" + s.Flag, Msg: err.Error()}
		}
	}
	return nil
}

func parseDuration(v string, dst *time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("invalid duration %q (use Go syntax: 5s, 1m30s, 4h)", v)
	}
	*dst = d
	return nil
}

// parseEventFormat accepts plain or json, in any case.
func parseEventFormat(v string, dst *string) error {
	switch f := strings.ToLower(v); f {
	case EventFormatPlain, EventFormatJSON:
		*dst = f
		return nil
	}
	return fmt.Errorf("invalid event format %q (plain or json)", v)
}

func parseBool(v string, dst *bool) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("invalid boolean %q", v)
	}
	*dst = b
	return nil
}
