package scripttest

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// TextReporter writes the default human-readable report: one line per
// test (✓ passed, ✗ failed, - skipped), the failure under a failed test
// (file:line, message, and the diff of expected and actual), and the
// closing "N passed, N failed[, N skipped]" line.
type TextReporter struct {
	W io.Writer
	// Verbose also prints passed and skipped tests (failures always print).
	Verbose bool

	printed string // the file whose header was printed last
}

// TestDone implements Reporter.
func (r *TextReporter) TestDone(file string, t *TestResult) {
	if t.Status != Failed && !r.Verbose {
		return
	}
	r.header(file)
	switch t.Status {
	case Passed:
		fmt.Fprintf(r.W, "  ✓ %s (%s)\n", t.Name, round(t.Duration))
	case Skipped:
		fmt.Fprintf(r.W, "  - %s (pending)\n", t.Name)
	default:
		fmt.Fprintf(r.W, "  ✗ %s (%s)\n", t.Name, round(t.Duration))
		writeFailure(r.W, t.Failure, "      ")
	}
}

// FileDone implements Reporter.
func (r *TextReporter) FileDone(f *FileResult) {
	if f.Err == nil {
		return
	}
	r.header(f.Path)
	fmt.Fprintf(r.W, "  ✗ %s\n", f.Path)
	writeFailure(r.W, f.Err, "      ")
}

// RunDone implements Reporter.
func (r *TextReporter) RunDone(res *Result) error {
	_, err := fmt.Fprintln(r.W, res.Summary())
	return err
}

func (r *TextReporter) header(file string) {
	if r.printed != file {
		r.printed = file
		fmt.Fprintln(r.W, file)
	}
}

// writeFailure prints a failure indented.
func writeFailure(w io.Writer, f *Failure, indent string) {
	if f == nil {
		return
	}
	label := map[string]string{KindScript: "script error: ", KindTimeout: "timeout: "}[f.Kind]
	fmt.Fprintf(w, "%s%s%s: %s\n", indent, label, f.Location(), indentLines(f.Message, indent))
	if f.Diff != "" {
		fmt.Fprintf(w, "%s--- expected\n%s+++ actual\n%s%s\n", indent, indent, indent, indentLines(f.Diff, indent))
	}
}

func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

func round(d time.Duration) time.Duration {
	return d.Round(time.Millisecond)
}

var _ Reporter = (*TextReporter)(nil)
