package scripttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeModuleStubExampleRuns runs the README's "Stubbing modules"
// test file beside copies of scripts/examples, so the example stays real.
func TestReadmeModuleStubExampleRuns(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "**Stubbing modules.**")
	if ok {
		_, rest, ok = strings.Cut(rest, "```lua\n")
	}
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no lua block after **Stubbing modules.**")
	}
	files := map[string]string{"module_stubs_test.lua": block}
	scripts, _ := filepath.Glob("../scripts/examples/*.lua")
	for _, p := range scripts {
		if strings.HasSuffix(p, TestSuffix) {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = string(src)
	}
	res := runDir(t, writeTree(t, files), Options{})
	requirePassed(t, res)
	if res.Passed != 3 {
		t.Fatalf("want the 3 tests of the example to pass, got %s", res.Summary())
	}
}
