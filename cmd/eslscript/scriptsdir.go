package main

import (
	"fmt"
	"os"
)

// checkScriptsDir fails with the usage exit code and a clear message when
// the scripts directory is missing, unreadable or not a directory.
func checkScriptsDir(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		return exitError(fmt.Errorf("eslscript: scripts directory %s is not a directory", dir), exitUsage)
	}
	if err == nil {
		_, err = os.ReadDir(dir)
	}
	if err != nil {
		return exitError(fmt.Errorf("eslscript: cannot read scripts directory (--scripts, scripts.dir): %w", err), exitUsage)
	}
	return nil
}
