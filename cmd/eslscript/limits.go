package main

import (
	"runtime/debug"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
)

// scriptLimits maps scripts.busy_budget, memory_limit and string_limit to
// the host's limits.
func scriptLimits(s config.Scripts) host.ScriptLimits {
	return host.ScriptLimits{
		BusyBudget:  s.BusyBudget,
		MemoryLimit: int64(s.MemoryLimit),
		StringLimit: int(s.StringLimit),
	}
}

// setRuntimeMemoryLimit gives the Go runtime the soft memory limit that
// goes with the scripts' memory limit (3/4 of it, where runs executing Lua
// are stopped), unless GOMEMLIMIT already set a lower one.
func setRuntimeMemoryLimit(l host.ScriptLimits) {
	if soft := l.SoftMemoryLimit(); soft > 0 && soft < debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(soft)
	}
}
