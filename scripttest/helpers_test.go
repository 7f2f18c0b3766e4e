package scripttest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeTree writes name -> content files into a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runDir runs the tests of dir (also the scripts root) and returns the
// result; the whole run must finish within 20 s.
func runDir(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts.Root, opts.Paths = dir, []string{dir}
	res, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tests returns every test result of a run, in order.
func tests(res *Result) []*TestResult {
	var out []*TestResult
	for _, f := range res.Files {
		out = append(out, f.Tests...)
	}
	return out
}

// byName returns the result of the test with that full name.
func byName(t *testing.T, res *Result, name string) *TestResult {
	t.Helper()
	for _, tr := range tests(res) {
		if tr.Name == name {
			return tr
		}
	}
	t.Fatalf("no test %q in %v", name, names(res))
	return nil
}

func names(res *Result) []string {
	var out []string
	for _, tr := range tests(res) {
		out = append(out, tr.Name)
	}
	return out
}

// requirePassed fails the Go test unless every Lua test passed.
func requirePassed(t *testing.T, res *Result) {
	t.Helper()
	for _, f := range res.Files {
		if f.Err != nil {
			t.Errorf("%s: %s", f.Path, failureText(f.Err))
		}
		for _, tr := range f.Tests {
			if tr.Status == Failed {
				t.Errorf("%s: %s", tr.Name, failureText(tr.Failure))
			}
		}
	}
	if res.Passed == 0 {
		t.Error("no test passed")
	}
}

// echoScript is a minimal session script used by many tests.
const echoScript = `
local log = require("log")
return {
  session = function(session)
    session:answer()
    session:streamFile("hello.wav")
    log.info("done")
  end,
}
`
