package scripttest

import (
	"strings"
	"testing"
)

// A test file can require json (and sim); any other name says what a test
// file can require, naming no filesystem path.
func TestTestFileRequire(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"echo.lua": echoScript,
		"echo_test.lua": `local json = require("json")
local sim2 = require("sim")
it("requires json", function()
  assert.same({ a = 1 }, json.decode(json.encode({ a = 1 })))
  assert.equals(sim, sim2)
  local ok, err = pcall(require, "lib.helpers")
  assert.is_false(ok)
  assert.matches("a test file can require json and sim", err)
  assert.is_nil(err:find("/usr/local", 1, true))
end)
`,
	})
	res := runDir(t, dir, Options{})
	if !res.OK() || res.Passed != 1 {
		var b strings.Builder
		for _, f := range res.Files {
			if f.Err != nil {
				b.WriteString(failureText(f.Err))
			}
			for _, tr := range f.Tests {
				if tr.Failure != nil {
					b.WriteString(failureText(tr.Failure))
				}
			}
		}
		t.Fatalf("got %s\n%s", res.Summary(), b.String())
	}
}
