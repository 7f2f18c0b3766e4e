package wiring

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
	"github.com/eslscript/eslscript/ops"
)

// HostOptions maps the configuration to the host's options: the one place
// a scripts.* or drain.* setting reaches the host. Scripts' commands are
// timed into m when it is not nil, and traced (spans only exist once
// ops.SetupTracing installed a provider). log starts scrubbing cfg's
// resolved secrets (see Scrub). The kv store is left to the caller
// (OpenKV).
func HostOptions(cfg *config.Config, log *slog.Logger, m *ops.Metrics) host.Options {
	tracer := ops.NewTracer(nil)
	Scrub(log, cfg) // what the first load logs is already scrubbed
	opts := host.Options{
		ScriptsDir:       cfg.Scripts.Dir,
		Registry:         bindings.NewRegistry(),
		Sandbox:          Sandbox(cfg.Scripts),
		Logger:           log,
		HandlerBudget:    cfg.Scripts.HandlerBudget,
		SessionBudget:    cfg.Scripts.SessionBudget,
		Limits:           Limits(cfg.Scripts),
		ScriptQueue:      cfg.Scripts.QueueLimit,
		ScriptQueueBytes: int64(cfg.Scripts.QueueBytes),
		DrainCause:       cfg.Drain.Cause,
		SessionTracer:    tracer,
		WrapCommander: func(node string, c bindings.Commander) bindings.Commander {
			return ops.Commander(node, c, m, tracer)
		},
	}
	if m != nil {
		opts.Observer = m
	}
	return opts
}

// Sandbox maps scripts.sandbox (the default policy) and
// scripts.sandbox_dirs (per subdirectory) to the host's policy.
func Sandbox(s config.Scripts) host.Sandbox {
	sb := sandbox(s.Sandbox)
	if len(s.SandboxDirs) > 0 {
		sb.Dirs = make(map[string]host.Sandbox, len(s.SandboxDirs))
	}
	for dir, p := range s.SandboxDirs {
		sb.Dirs[dir] = sandbox(p)
	}
	return sb
}

// sandbox converts one configured sandbox to the host's.
func sandbox(s config.Sandbox) host.Sandbox {
	return host.Sandbox{AllowOS: s.AllowOS, AllowIO: s.AllowIO, ReadPaths: s.ReadPaths, WritePaths: s.WritePaths}
}

// Limits maps scripts.busy_budget, memory_limit and string_limit to the
// host's limits.
func Limits(s config.Scripts) host.ScriptLimits {
	return host.ScriptLimits{
		BusyBudget:  s.BusyBudget,
		MemoryLimit: int64(s.MemoryLimit),
		StringLimit: int(s.StringLimit),
	}
}

// SetMemoryLimit gives the Go runtime the soft memory limit that goes with
// the scripts' memory limit (3/4 of it, where runs executing Lua are
// stopped), unless GOMEMLIMIT already set a lower one.
func SetMemoryLimit(l host.ScriptLimits) {
	if soft := l.SoftMemoryLimit(); soft > 0 && soft < debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(soft)
	}
}

// CheckRoutes checks that the default script of every listener is a
// session script of g: a wrong name would refuse every call at run time.
// Each problem is a configuration error naming listeners[i].script. A
// listener without a default (the simulator's) routes by eslscript_script
// alone.
func CheckRoutes(cfg *config.Config, g *host.Generation) error {
	var errs []error
	for i, l := range cfg.Listeners {
		if l.Script == "" {
			continue
		}
		if err := g.CheckSessionScript(l.Script); err != nil {
			errs = append(errs, cfg.KeyError(fmt.Sprintf("listeners[%d].script", i), strings.TrimPrefix(err.Error(), "host: ")))
		}
	}
	return errors.Join(errs...)
}
