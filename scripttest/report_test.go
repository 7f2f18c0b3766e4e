package scripttest

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// mixedTree has one passing, one failing and one pending test, and a
// second file that does not compile.
func mixedTree(t *testing.T) string {
	return writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `describe("echo", function()
  it("passes", function() assert.truthy(true) end)
  it("fails", function() assert.equals("a", "b") end)
  pending("waits")
end)
`,
		"sub/other.lua":      echoScript,
		"sub/other_test.lua": "it(\"x\", function(\n",
	})
}

func TestJUnitOutputParses(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	dir := mixedTree(t)
	res := runDir(t, dir, Options{Reporters: []Reporter{&JUnitReporter{W: &buf}}})
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string    `xml:"name,attr"`
		Classname string    `xml:"classname,attr"`
		Time      string    `xml:"time,attr"`
		Failure   *failure  `xml:"failure"`
		Error     *failure  `xml:"error"`
		Skipped   *struct{} `xml:"skipped"`
	}
	type testsuite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	var doc struct {
		XMLName  xml.Name    `xml:"testsuites"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Suites   []testsuite `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("junit does not parse: %v\n%s", err, buf.String())
	}
	if doc.Tests != 4 || doc.Failures != 1 || doc.Errors != 1 || len(doc.Suites) != 2 {
		t.Fatalf("counts tests=%d failures=%d errors=%d suites=%d (%s)\n%s", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites), res.Summary(), buf.String())
	}
	s := doc.Suites[0]
	if s.Tests != 3 || s.Failures != 1 || s.Skipped != 1 || len(s.Cases) != 3 {
		t.Fatalf("suite %+v", s)
	}
	c := s.Cases[1]
	if c.Name != "echo fails" || c.Failure == nil || c.Failure.Type != KindAssertion || !strings.Contains(c.Failure.Text, "echo_test.lua:3") || c.Classname == "" || c.Time == "" {
		t.Errorf("failing case %+v", c)
	}
	if s.Cases[2].Skipped == nil || s.Cases[0].Failure != nil {
		t.Errorf("cases %+v", s.Cases)
	}
	if e := doc.Suites[1].Cases[0].Error; e == nil || e.Type != KindScript {
		t.Errorf("load error case %+v", doc.Suites[1].Cases)
	}
}

func TestTAPAndTextOutput(t *testing.T) {
	t.Parallel()
	var tap, text bytes.Buffer
	dir := mixedTree(t)
	res := runDir(t, dir, Options{Reporters: []Reporter{&TAPReporter{W: &tap}, &TextReporter{W: &text, Verbose: true}}})
	wantTAP := []string{"TAP version 13\n", "ok 1 - echo passes\n", "not ok 2 - echo fails\n",
		"ok 3 - echo waits # SKIP pending\n", "not ok 4 - ", "1..4\n", "# 1 passed, 2 failed, 1 skipped\n"}
	for _, w := range wantTAP {
		if !strings.Contains(tap.String(), w) {
			t.Errorf("TAP lacks %q:\n%s", w, tap.String())
		}
	}
	wantText := []string{"✓ echo passes", "✗ echo fails", "echo_test.lua:3: Expected objects to be equal.",
		"- echo waits (pending)", "script error: ", "\n1 passed, 2 failed, 1 skipped\n"}
	for _, w := range wantText {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text lacks %q:\n%s", w, text.String())
		}
	}
	if res.Summary() != "1 passed, 2 failed, 1 skipped" {
		t.Errorf("summary %q", res.Summary())
	}
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	got := lineDiff("a\nb\nc", "a\nx\nc")
	if want := "  a\n- b\n+ x\n  c"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
