package scripttest

import (
	"fmt"
	"time"
)

// Status is the outcome of one test.
type Status int

// Test outcomes.
const (
	// Passed: the test ran and every assertion held.
	Passed Status = iota
	// Failed: an assertion failed, the test raised an error or ran out of
	// its time budget.
	Failed
	// Skipped: the test is pending (pending("...") or it without a body).
	Skipped
)

// String names the status ("passed", "failed", "skipped").
func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	default:
		return "skipped"
	}
}

// Failure kinds.
const (
	// KindAssertion is a failed assert.
	KindAssertion = "assertion"
	// KindError is an error raised by the test or the script under test.
	KindError = "error"
	// KindTimeout is a test that ran past its time budget.
	KindTimeout = "timeout"
	// KindScript is a script (or test file) that does not compile or load.
	KindScript = "script"
)

// Failure says why a test (or a whole test file) failed.
type Failure struct {
	// Kind is KindAssertion, KindError, KindTimeout or KindScript.
	Kind string
	// Message is the failure text without location.
	Message string
	// File and Line locate the failing assertion or error (Line 0: unknown).
	File string
	Line int
	// Expected and Actual are the compared values as text, when the
	// assertion compared two values.
	Expected, Actual string
	// Diff is a line diff of Expected and Actual ("-" expected, "+" actual).
	Diff string
	// Traceback is the Lua traceback of an unexpected error.
	Traceback string
}

// Location is "file:line" (or the file alone when the line is unknown).
func (f *Failure) Location() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// TestResult is the outcome of one `it`.
type TestResult struct {
	// Name is the full name: the describe names and the it name, joined
	// by spaces.
	Name string
	// File is the test file and Line the line of its `it`.
	File string
	Line int
	// Status is the outcome; Failure is set when Failed.
	Status  Status
	Failure *Failure
	// Duration is the real time the test took, setup and teardown included.
	Duration time.Duration
}

// FileResult is the outcome of one test file.
type FileResult struct {
	// Path is the test file.
	Path string
	// Err is set when the file could not run at all: the test file or a
	// script of its scripts directory does not compile or load. It counts
	// as one failed test.
	Err *Failure
	// Tests are the tests run (or skipped), in definition order.
	Tests []*TestResult
	// Filtered counts the tests Options.Filter left out.
	Filtered int
	// Duration is the real time the file took.
	Duration time.Duration
}

// Result is the outcome of a run.
type Result struct {
	// Files are the test files, in the order they ran.
	Files []*FileResult
	// Passed, Failed and Skipped count tests; a file-level error counts as
	// one failure.
	Passed, Failed, Skipped int
	// Filtered counts the tests Options.Filter left out.
	Filtered int
	// Duration is the real time of the run.
	Duration time.Duration
}

// OK reports whether nothing failed.
func (r *Result) OK() bool { return r.Failed == 0 }

// Summary is the closing line: "N passed, N failed" plus ", N skipped"
// when any test was skipped.
func (r *Result) Summary() string {
	s := fmt.Sprintf("%d passed, %d failed", r.Passed, r.Failed)
	if r.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", r.Skipped)
	}
	return s
}

// add counts a finished file.
func (r *Result) add(f *FileResult) {
	r.Files = append(r.Files, f)
	r.Filtered += f.Filtered
	if f.Err != nil {
		r.Failed++
	}
	for _, t := range f.Tests {
		switch t.Status {
		case Passed:
			r.Passed++
		case Failed:
			r.Failed++
		default:
			r.Skipped++
		}
	}
}
