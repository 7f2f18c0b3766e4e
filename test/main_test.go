package test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// binPath is the eslscript binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds ./cmd/eslscript into a temporary directory, runs the
// tests and removes the directory.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "eslscript-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "test: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "eslscript")
	cmd := exec.Command("go", "build", "-o", binPath, "./cmd/eslscript")
	cmd.Dir = repoRoot()
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "test: building eslscript:", err)
		return 1
	}
	return realfs.Main(m)
}

// repoRoot is the module root: the parent of this file's directory.
func repoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("test: cannot locate the test source")
	}
	return filepath.Dir(filepath.Dir(file))
}
