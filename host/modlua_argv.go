package host

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// mod_lua's argv: the dialplan's "lua ivr.lua sales 'the queue'" gives
// argv = {[0]="ivr.lua", "sales", "the queue"}.

// maxArgs is mod_lua's limit on the words of its argument string.
const maxArgs = 128

// argvTable builds mod_lua's argv: [0] the script as the lua application
// names it, then the words of args split as mod_lua splits them.
func argvTable(L *lua.LState, script, args string) *lua.LTable {
	words := splitArgs(args)
	t := L.CreateTable(len(words), 1)
	t.RawSetInt(0, lua.LString(script))
	for _, w := range words {
		t.Append(lua.LString(w))
	}
	return t
}

// modLuaArg0 is argv[0] of a mod_lua-style script: its path below the
// mod_lua/ folder it belongs to, with .lua ("mod_lua/ivr.lua" is
// "ivr.lua", "mod_lua/app/vm.lua" "app/vm.lua"), which is how the lua
// application names a file of FreeSWITCH's script directory.
func modLuaArg0(rel string) string {
	if root := modLuaRoot(rel); root != "" {
		return strings.TrimPrefix(rel, root+"/")
	}
	return rel
}

// splitArgs splits an argument string as mod_lua does for its argv:
// FreeSWITCH's switch_separate_string with mod_lua's 128 slots, the last
// of which takes the unsplit rest; no argument string, no words.
func splitArgs(s string) []string {
	if s == "" {
		return nil
	}
	return esl.SeparateString(s, ' ', maxArgs)
}
