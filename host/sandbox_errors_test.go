package host

import (
	"strings"
	"testing"
)

// disabledMessage runs expr in a state of sandbox sb and returns the
// error it raises ("" when it does not raise).
func disabledMessage(t *testing.T, sb Sandbox, expr string) string {
	t.Helper()
	return evalIn(t, sb, "local ok, err = pcall(function() return "+expr+" end)\nreturn ok and '' or tostring(err)").String()
}

// What the sandbox withholds raises an error that names the function, the
// sandbox and the setting that opens it, instead of "attempt to call a
// nil value".
func TestSandboxErrorsNameTheSandbox(t *testing.T) {
	cases := []struct {
		sb         Sandbox
		expr, want string
	}{
		{Sandbox{}, `os.execute("true")`, "os.execute is disabled by the sandbox; see allow_os"},
		{Sandbox{}, `os.remove("/tmp/x")`, "os.remove is disabled by the sandbox; see allow_os"},
		{Sandbox{}, `io.open("/etc/hosts")`, "io.open is disabled by the sandbox; see allow_io"},
		{Sandbox{AllowOS: true}, `io.lines("/etc/hosts")`, "io.lines is disabled by the sandbox; see allow_io"},
		{Sandbox{}, `debug.traceback()`, "debug.traceback is not available to scripts"},
		{Sandbox{AllowOS: true, AllowIO: true}, `dofile("x.lua")`, "dofile is not available to scripts"},
		{Sandbox{}, `loadfile("x.lua")`, "loadfile is not available to scripts"},
	}
	for _, c := range cases {
		if got := disabledMessage(t, c.sb, c.expr); !strings.Contains(got, c.want) {
			t.Errorf("%+v %s: error %q, want %q", c.sb, c.expr, got, c.want)
		}
	}
	if got := disabledMessage(t, Sandbox{AllowOS: true}, `os.time()`); got != "" {
		t.Errorf("os.time raised %q", got)
	}
}
