package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	testedScript = `return { session = function(s) s:answer(); s:streamFile("hello.wav") end }`
	passingTest  = `describe("hello", function()
  it("answers and plays", function()
    local call = sim.call{}
    call:run()
    assert.same({ "answer", "playback" }, call:app_names())
  end)
  pending("later")
end)
`
	failingTest = `it("expects a goodbye", function()
  local call = sim.call{}
  call:run()
  assert.same({ "answer", "goodbye" }, call:app_names())
end)
`
)

func TestTestCommandPasses(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"hello.lua": testedScript, "hello_test.lua": passingTest})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "test", "--scripts", dir); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, p.stdout, p.stderr)
	}
	if !strings.HasSuffix(p.stdout.String(), "1 passed, 0 failed, 1 skipped\n") {
		t.Errorf("stdout:\n%s", p.stdout)
	}
}

func TestTestCommandFailsWithJUnitAndTAP(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{"hello.lua": testedScript, "hello_test.lua": failingTest})
	junit := filepath.Join(t.TempDir(), "out.xml")
	p := newProc(nil)
	code := p.run(t, 20*time.Second, "test", "--tap", "--junit", junit, "--scripts", dir, dir)
	if code != exitTestsFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitTestsFailed, p.stdout, p.stderr)
	}
	out := p.stdout.String()
	for _, want := range []string{"not ok 1 - expects a goodbye", "hello_test.lua:4", "1..1"} {
		if !strings.Contains(out, want) {
			t.Errorf("TAP lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Failures != 1 {
		t.Errorf("junit failures=%d err=%v\n%s", doc.Failures, err, b)
	}
}

func TestTestCommandScriptErrorAndFilter(t *testing.T) {
	t.Parallel()
	broken := writeScripts(t, map[string]string{"hello.lua": "return {", "hello_test.lua": passingTest})
	p := newProc(nil)
	if code := p.run(t, 20*time.Second, "test", "--scripts", broken); code != exitScripts {
		t.Fatalf("exit %d, want %d\n%s", code, exitScripts, p.stdout)
	}
	if !strings.Contains(p.stdout.String(), "script error: "+filepath.Join(broken, "hello.lua")+":1") {
		t.Errorf("stdout:\n%s", p.stdout)
	}
	dir := writeScripts(t, map[string]string{"hello.lua": testedScript, "hello_test.lua": passingTest + failingTest})
	p = newProc(nil)
	if code := p.run(t, 20*time.Second, "test", "--filter", "answers", "--scripts", dir); code != exitOK {
		t.Fatalf("filtered run exit %d\n%s", code, p.stdout)
	}
}
