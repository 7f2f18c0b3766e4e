// Package scripts_test runs every Lua script test under scripts/ (files
// ending in _test.lua, beside the script they test) as Go subtests, so
// that `go test ./...` covers the example scripts.
package scripts_test

import (
	"testing"

	"github.com/eslscript/eslscript/scripttest"
)

// TestScripts runs the Lua tests with scripts/ as the scripts directory.
func TestScripts(t *testing.T) {
	scripttest.RunGo(t, ".")
}
