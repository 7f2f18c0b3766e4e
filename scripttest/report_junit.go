package scripttest

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// JUnitReporter writes JUnit XML (the common Jenkins/Surefire shape) when
// the run ends: <testsuites> with one <testsuite> per test file, one
// <testcase> per test with <failure> or <skipped/>. A file that could not
// run is a testsuite with one testcase carrying an <error>.
type JUnitReporter struct {
	W io.Writer
}

// JUnit XML elements.
type (
	// JUnitSuites is the <testsuites> root.
	JUnitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []JUnitSuite `xml:"testsuite"`
	}
	// JUnitSuite is one <testsuite> (one test file).
	JUnitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []JUnitCase `xml:"testcase"`
	}
	// JUnitCase is one <testcase>.
	JUnitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *JUnitProblem `xml:"failure,omitempty"`
		Error     *JUnitProblem `xml:"error,omitempty"`
		Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	}
	// JUnitProblem is a <failure> or <error>.
	JUnitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	// JUnitSkipped is <skipped/>.
	JUnitSkipped struct {
		Message string `xml:"message,attr,omitempty"`
	}
)

// TestDone implements Reporter (JUnit is written at the end).
func (r *JUnitReporter) TestDone(string, *TestResult) {}

// FileDone implements Reporter.
func (r *JUnitReporter) FileDone(*FileResult) {}

// RunDone implements Reporter: it writes the document.
func (r *JUnitReporter) RunDone(res *Result) error {
	doc := JUnitDocument(res)
	if _, err := io.WriteString(r.W, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(r.W)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("scripttest: writing junit: %w", err)
	}
	_, err := io.WriteString(r.W, "\n")
	return err
}

// JUnitDocument converts a result to the JUnit structure.
func JUnitDocument(res *Result) JUnitSuites {
	doc := JUnitSuites{Time: seconds(res.Duration)}
	for _, f := range res.Files {
		s := junitSuite(f)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	return doc
}

func junitSuite(f *FileResult) JUnitSuite {
	s := JUnitSuite{Name: f.Path, Time: seconds(f.Duration)}
	class := strings.TrimSuffix(filepath.ToSlash(f.Path), ".lua")
	if f.Err != nil {
		s.Tests, s.Errors = 1, 1
		s.Cases = append(s.Cases, JUnitCase{Name: "load " + f.Path, Classname: class, Time: "0",
			Error: problem(f.Err)})
	}
	for _, t := range f.Tests {
		c := JUnitCase{Name: t.Name, Classname: class, Time: seconds(t.Duration), File: t.File, Line: t.Line}
		s.Tests++
		switch t.Status {
		case Failed:
			s.Failures++
			c.Failure = problem(t.Failure)
		case Skipped:
			s.Skipped++
			c.Skipped = &JUnitSkipped{Message: "pending"}
		}
		s.Cases = append(s.Cases, c)
	}
	return s
}

// problem converts a failure to a <failure>/<error> element.
func problem(f *Failure) *JUnitProblem {
	text := f.Location() + ": " + f.Message
	if f.Diff != "" {
		text += "\n--- expected\n+++ actual\n" + f.Diff
	}
	if f.Traceback != "" {
		text += "\n" + f.Traceback
	}
	return &JUnitProblem{Message: firstLine(f.Message), Type: f.Kind, Text: text}
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

var _ Reporter = (*JUnitReporter)(nil)
