package host

import (
	"errors"
	"path/filepath"
	"testing"
)

// An error raised by a timer callback a one-shot script ran (while it
// waited) fails the run once the chunk returns, like an error of the
// chunk itself (exec exits 5), and the chunk still runs to its end.
func TestRunFileCallbackError(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"cb.lua": `local timer = require("timer")
timer.after(1, function()
  error("late boom")
end)
freeswitch.msleep(200)
print("after")
return 0
`})
	code, out, err := runFile(t, RunFileOptions{File: filepath.Join(dir, "cb.lua")})
	var re *RunError
	if !errors.As(err, &re) || re.Line != 3 || re.Msg != "late boom (in a timer callback)" || code != 0 {
		t.Fatalf("code %d, err %#v", code, err)
	}
	if out != "after\n" {
		t.Errorf("printed %q: the chunk should run to its end", out)
	}
}
