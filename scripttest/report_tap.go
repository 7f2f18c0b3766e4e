package scripttest

import (
	"fmt"
	"io"
	"strings"
)

// TAPReporter writes TAP version 13: "ok N - name" per test, "# SKIP"
// for pending tests, a YAML block under failures, and the plan "1..N" at
// the end. A file that could not run is one failed test point.
type TAPReporter struct {
	W io.Writer
	n int
}

// TestDone implements Reporter.
func (r *TAPReporter) TestDone(_ string, t *TestResult) {
	r.point(t.Status, t.Name, t.Failure)
}

// FileDone implements Reporter.
func (r *TAPReporter) FileDone(f *FileResult) {
	if f.Err != nil {
		r.point(Failed, f.Path, f.Err)
	}
}

func (r *TAPReporter) point(s Status, name string, f *Failure) {
	if r.n == 0 {
		fmt.Fprintln(r.W, "TAP version 13")
	}
	r.n++
	switch s {
	case Passed:
		fmt.Fprintf(r.W, "ok %d - %s\n", r.n, tapName(name))
	case Skipped:
		fmt.Fprintf(r.W, "ok %d - %s # SKIP pending\n", r.n, tapName(name))
	default:
		fmt.Fprintf(r.W, "not ok %d - %s\n", r.n, tapName(name))
		r.yaml(f)
	}
}

// yaml writes the failure's YAML diagnostic block.
func (r *TAPReporter) yaml(f *Failure) {
	if f == nil {
		return
	}
	fmt.Fprintf(r.W, "  ---\n  message: %q\n  severity: %s\n  at: %q\n", f.Message, f.Kind, f.Location())
	if f.Diff != "" {
		fmt.Fprintf(r.W, "  diff: |\n    %s\n", strings.ReplaceAll(f.Diff, "\n", "\n    "))
	}
	fmt.Fprintln(r.W, "  ...")
}

// tapName keeps a test name on one line and free of the "#" directive.
func tapName(s string) string {
	return strings.NewReplacer("\n", " ", "#", "\\#").Replace(s)
}

// RunDone implements Reporter.
func (r *TAPReporter) RunDone(res *Result) error {
	if r.n == 0 {
		fmt.Fprintln(r.W, "TAP version 13")
	}
	_, err := fmt.Fprintf(r.W, "1..%d\n# %s\n", r.n, res.Summary())
	return err
}

var _ Reporter = (*TAPReporter)(nil)
