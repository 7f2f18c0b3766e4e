package host

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// setGlobals sets argv, freeswitch and a print that writes to Stdout.
func (r *fileRun) setGlobals(L *lua.LState) {
	argv := L.CreateTable(len(r.opts.Args), 1)
	argv.RawSetInt(0, lua.LString(r.opts.File))
	for _, a := range r.opts.Args {
		argv.Append(lua.LString(a))
	}
	L.SetGlobal("argv", argv)
	if fs := requireModule(L, "freeswitch"); fs != lua.LNil {
		L.SetGlobal("freeswitch", fs)
	}
	out := r.opts.Stdout
	if out == nil {
		out = os.Stdout
	}
	L.SetGlobal("print", L.NewFunction(printTo(out)))
}

// printTo is Lua's print writing to w: tostring of each argument,
// tab-separated, then a newline.
func printTo(w io.Writer) lua.LGFunction {
	return func(L *lua.LState) int {
		parts := make([]string, L.GetTop())
		for i := range parts {
			parts[i] = L.ToStringMeta(L.Get(i + 1)).String()
		}
		_, _ = io.WriteString(w, strings.Join(parts, "\t")+"\n")
		return 0
	}
}

// exitCodeOf maps the chunk's result to an exit code: an integer from 0
// to 255 is one, another number is ErrExitCode, anything else means 0.
func exitCodeOf(file string, v lua.LValue) (int, error) {
	n, ok := v.(lua.LNumber)
	if !ok {
		return 0, nil
	}
	f := float64(n)
	if f != math.Trunc(f) || f < 0 || f > 255 {
		return 0, fmt.Errorf("%w: %s returned %s, want an integer from 0 to 255", ErrExitCode, file, n.String())
	}
	return int(f), nil
}
