package host

import (
	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// newSessionObject builds the Lua session object of a call.
// TODO(host): bindings.NewSession once it exists.
var newSessionObject = func(L *lua.LState, env *bindings.Env, s *esl.Session) lua.LValue {
	return lua.LNil
}
