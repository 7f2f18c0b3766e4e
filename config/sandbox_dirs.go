package config

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// validateSandboxDirs checks that every key of scripts.sandbox_dirs is a
// clean relative path that stays inside the scripts directory. Whether the
// directory exists is checked when the scripts load.
func validateSandboxDirs(dirs map[string]Sandbox, add func(*Error)) {
	keys := make([]string, 0, len(dirs))
	for k := range dirs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if msg := sandboxDirProblem(k); msg != "" {
			add(errorf(fmt.Sprintf("scripts.sandbox_dirs[%q]", k), "%s", msg))
		}
	}
}

// sandboxDirProblem says what is wrong with a sandbox_dirs key, or "".
func sandboxDirProblem(k string) string {
	switch {
	case k == "" || k == ".":
		return "must name a subdirectory of the scripts directory (scripts.sandbox is the policy of the directory itself)"
	case strings.Contains(k, `\`):
		return `use "/" to separate directories`
	case path.IsAbs(k) || filepath.IsAbs(k):
		return "must be relative to the scripts directory, like \"billing\""
	case k == ".." || strings.HasPrefix(k, "../") || strings.Contains(k, "/../") || strings.HasSuffix(k, "/.."):
		return "must stay inside the scripts directory (no \"..\")"
	case path.Clean(k) != k:
		return fmt.Sprintf("must be a clean path (%q)", path.Clean(k))
	}
	return ""
}
