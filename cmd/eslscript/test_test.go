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

// otherScript and its test are not affected by edits to hello.lua.
const (
	otherScript = `return { session = function(s) s:answer() end }`
	otherTest   = `it("answers", function()
  local call = sim.call{}
  call:run()
  assert.same({ "answer" }, call:app_names())
end)
`
)

// --watch runs everything once, then only the tests a saved file affects,
// until interrupted.
func TestTestCommandWatch(t *testing.T) {
	t.Parallel()
	dir := writeScripts(t, map[string]string{
		"hello.lua": testedScript, "hello_test.lua": passingTest,
		"other.lua": otherScript, "other_test.lua": otherTest,
	})
	p := newProc(nil)
	done := p.start("test", "--watch", "--scripts", dir)
	p.stdout.waitFor(t, "2 passed, 0 failed, 1 skipped\n", 20*time.Second)
	p.stdout.waitFor(t, "watching for changes", 5*time.Second)

	write(t, filepath.Join(dir, "hello_test.lua"), strings.ReplaceAll(failingTest, `"goodbye"`, `"sleep"`))
	p.stdout.waitFor(t, "running 1 test file(s)\n", 10*time.Second)
	p.stdout.waitFor(t, "0 passed, 1 failed\n", 20*time.Second)

	write(t, filepath.Join(dir, "hello.lua"), `return { session = function(s) s:answer(); s:sleep(100) end }`)
	p.stdout.waitFor(t, "1 passed, 0 failed\n", 20*time.Second)
	_, after, _ := strings.Cut(p.stdout.String(), "watching for changes")
	if strings.Contains(after, "other_test.lua") {
		t.Fatalf("edits to hello files re-ran other_test.lua:\n%s", after)
	}

	p.sigs <- os.Interrupt
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("--watch did not stop on SIGINT\nstdout:\n%s", p.stdout)
	}
}

// write replaces a file's content.
func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
