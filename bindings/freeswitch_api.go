package bindings

import (
	"errors"
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

const fsAPITypeName = "eslscript.freeswitch.API"

// fsAPI is the object freeswitch.API() returns; it sends through the
// commander of the run in progress at the time of each call.
type fsAPI struct{ rt *Runtime }

// fsNewAPI implements freeswitch.API([session]); the session argument
// mod_lua accepts is ignored (ESL api commands have no session context).
func fsNewAPI(L *lua.LState, rt *Runtime) int {
	ud := L.NewUserData()
	ud.Value = &fsAPI{rt: rt}
	L.SetMetatable(ud, fsAPIMetatable(L))
	L.Push(ud)
	return 1
}

// fsAPIMethods are the methods of freeswitch.API objects.
var fsAPIMethods = map[string]lua.LGFunction{
	"execute":       fsAPIExecute,
	"executeString": fsAPIExecuteString,
	"getTime":       fsAPIGetTime,
}

// fsAPIMetatable returns the API type's metatable, made once per state.
func fsAPIMetatable(L *lua.LState) lua.LValue {
	return methodsMetatable(L, fsAPITypeName, fsAPIMethods)
}

// checkAPI returns the API object a method was called on.
func checkAPI(L *lua.LState) *fsAPI {
	if a, ok := L.CheckUserData(1).Value.(*fsAPI); ok {
		return a
	}
	L.ArgError(1, "freeswitch.API object expected (call it as api:execute(...))")
	return nil
}

// fsAPIExecute implements api:execute(cmd[, args]).
func fsAPIExecute(L *lua.LState) int {
	a := checkAPI(L)
	cmd, args := optStr(L, 2, ""), optStr(L, 3, "")
	L.Push(lua.LString(a.run(cmd, args)))
	return 1
}

// fsAPIExecuteString implements api:executeString("cmd args"): the
// command is split at the first space.
func fsAPIExecuteString(L *lua.LState) int {
	a := checkAPI(L)
	cmd, args, _ := strings.Cut(optStr(L, 2, ""), " ")
	L.Push(lua.LString(a.run(cmd, args)))
	return 1
}

// fsAPIGetTime implements api:getTime(): epoch milliseconds as a string.
func fsAPIGetTime(L *lua.LState) int {
	a := checkAPI(L)
	L.Push(lua.LString(strconv.FormatInt(a.rt.clock().Now().UnixMilli(), 10)))
	return 1
}

// run sends "api cmd args" and returns what mod_lua would: the command's
// output, "INVALID COMMAND!\n" for an unknown command (ESL's "-ERR <cmd>
// Command not found!", which it also says of a command whose function
// failed), FreeSWITCH's own "-ERR ..." text for a refused command, and
// "-ERR <reason>" for a transport failure.
func (a *fsAPI) run(cmd, args string) string {
	cmd = strings.TrimSpace(cmd)
	if cmd == "" {
		return "-ERR No application specified"
	}
	if a.rt.scope.esl == nil {
		return "-ERR " + ErrNoESL.Error()
	}
	line := joinWords(cmd, args)
	out, err := a.rt.scope.esl.API(a.rt.ctx(), line)
	if first, _, _ := strings.Cut(line, " "); strings.TrimSpace(out) == "-ERR "+first+" Command not found!" {
		return "INVALID COMMAND!\n"
	}
	if err == nil || out != "" {
		return out
	}
	var ce *esl.CommandError
	if errors.As(err, &ce) {
		return "-ERR " + ce.Text
	}
	return "-ERR " + err.Error()
}
