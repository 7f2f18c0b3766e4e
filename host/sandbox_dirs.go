package host

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ErrSandboxDir means a key of Sandbox.Dirs is not a usable subdirectory
// of the scripts directory.
var ErrSandboxDir = errors.New("host: bad sandbox directory")

// policyFor returns the policy of the file at rel (relative to the scripts
// directory, "/"-separated): the Dirs entry of the deepest directory that
// contains it, or sb itself when none does. The result has no Dirs.
func (sb Sandbox) policyFor(rel string) Sandbox {
	for dir := path.Dir(rel); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if p, ok := sb.Dirs[dir]; ok {
			p.Dirs = nil
			return p
		}
	}
	sb.Dirs = nil
	return sb
}

// checkDirs reports the first key of Dirs (in name order) that is not a
// clean relative path naming a directory under scriptsDir.
func (sb Sandbox) checkDirs(scriptsDir string) error {
	for _, key := range sortedKeys(sb.Dirs) {
		if !validSandboxDir(key) {
			return fmt.Errorf("%w %q: want a clean relative path inside the scripts directory, like \"billing\"", ErrSandboxDir, key)
		}
		fi, err := os.Stat(filepath.Join(scriptsDir, filepath.FromSlash(key)))
		if err != nil || !fi.IsDir() {
			return fmt.Errorf("%w %q: no such directory in %s", ErrSandboxDir, key, scriptsDir)
		}
	}
	return nil
}

// validSandboxDir reports whether key is acceptable as a Sandbox.Dirs key:
// a non-empty, clean, "/"-separated relative path that does not leave the
// scripts directory ("billing", "billing/eu"; not "/x", "./x", "x/",
// "../x" or ".").
func validSandboxDir(key string) bool {
	if key == "" || key == "." || strings.Contains(key, `\`) || path.IsAbs(key) || filepath.IsAbs(key) {
		return false
	}
	if path.Clean(key) != key {
		return false
	}
	return key != ".." && !strings.HasPrefix(key, "../")
}

func sortedKeys(m map[string]Sandbox) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
