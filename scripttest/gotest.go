package scripttest

import (
	"context"
	"strings"
	"testing"
)

// RunGo runs every Lua test under dir (dir is also the scripts root) as
// Go subtests: one subtest per test file, one per test inside it, named
// by the test's full name. A failed Lua test fails its subtest with the
// file:line and the diff; pending tests are skipped. A directory without
// test files passes. Use it from a Go test file next to the scripts:
//
//	func TestScripts(t *testing.T) { scripttest.RunGo(t, ".") }
func RunGo(t *testing.T, dir string) {
	t.Helper()
	RunGoOptions(t, Options{Root: dir, Paths: []string{dir}})
}

// RunGoOptions is RunGo with explicit options (Reporters are added to).
func RunGoOptions(t *testing.T, opts Options) {
	t.Helper()
	g := &goReporter{t: t}
	opts.Reporters = append(opts.Reporters, g)
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d)
		defer cancel()
	}
	if _, err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
}

// goReporter turns results into subtests as they come.
type goReporter struct {
	t     *testing.T
	tests []*TestResult
}

// TestDone implements Reporter.
func (g *goReporter) TestDone(_ string, tr *TestResult) {
	g.tests = append(g.tests, tr)
}

// FileDone implements Reporter: one subtest for the file, one below it
// per test.
func (g *goReporter) FileDone(f *FileResult) {
	tests := g.tests
	g.tests = nil
	g.t.Run(f.Path, func(t *testing.T) {
		if f.Err != nil {
			t.Error(failureText(f.Err))
			return
		}
		for _, tr := range tests {
			t.Run(tr.Name, func(t *testing.T) { reportGo(t, tr) })
		}
	})
}

// reportGo fails or skips a subtest for one result.
func reportGo(t *testing.T, tr *TestResult) {
	switch tr.Status {
	case Failed:
		t.Error(failureText(tr.Failure))
	case Skipped:
		t.Skip("pending")
	}
}

// RunDone implements Reporter.
func (g *goReporter) RunDone(*Result) error { return nil }

// failureText is a failure as the text reporter prints it.
func failureText(f *Failure) string {
	var b strings.Builder
	writeFailure(&b, f, "")
	return strings.TrimRight(b.String(), "\n")
}
