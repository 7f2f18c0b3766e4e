package host

import (
	"errors"
	"os"
	"os/exec"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// What mod_lua scripts use of io and os, as Lua 5.3 gives it:
//
//   - io.write writes to the process's standard output, as print does
//     (under FreeSWITCH both reach its console); without allow_io the
//     rest of io stays withheld.
//   - os.execute(cmd) runs cmd with /bin/sh and returns true|nil,
//     "exit"|"signal", code (gopher-lua returns 0 or 1); os.execute()
//     returns true (a shell is there). It still needs allow_os.

// openLua53OS applies the above to a mod_lua-style state.
func openLua53OS(L *lua.LState, sb Sandbox) {
	if !sb.AllowIO {
		if io, ok := L.GetGlobal(lua.IoLibName).(*lua.LTable); ok {
			io.RawSetString("write", L.NewFunction(ioWriteStdout))
		}
	}
	if sb.AllowOS {
		libTable(L, lua.OsLibName).RawSetString("execute", L.NewFunction(osExecute53))
	}
}

// ioWriteStdout implements io.write(...) on the standard output: strings
// and numbers, as Lua's; it returns true (Lua returns the file).
func ioWriteStdout(L *lua.LState) int {
	for i := 1; i <= L.GetTop(); i++ {
		switch v := L.Get(i).(type) {
		case lua.LString, lua.LNumber:
			_, _ = os.Stdout.WriteString(v.String())
		default:
			L.ArgError(i, "string expected, got "+v.Type().String())
		}
	}
	L.Push(lua.LTrue)
	return 1
}

// osExecute53 implements Lua 5.3's os.execute([cmd]).
func osExecute53(L *lua.LState) int {
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		L.Push(lua.LTrue)
		return 1
	}
	cmd := exec.Command("/bin/sh", "-c", L.CheckString(1))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		L.Push(lua.LTrue)
		L.Push(lua.LString("exit"))
		L.Push(lua.LNumber(0))
	case errors.As(err, &ee):
		L.Push(lua.LNil)
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			L.Push(lua.LString("signal"))
			L.Push(lua.LNumber(ws.Signal()))
		} else {
			L.Push(lua.LString("exit"))
			L.Push(lua.LNumber(ee.ExitCode()))
		}
	default: // the shell did not start
		L.Push(lua.LNil)
		L.Push(lua.LString("exit"))
		L.Push(lua.LNumber(127))
	}
	return 3
}
