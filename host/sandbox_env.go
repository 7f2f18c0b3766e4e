package host

import (
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// secretEnvWords mark environment variables a sandboxed script may not read
// (the ESL password travels in ESL_PASSWORD or ESLSCRIPT_FS_PASSWORD).
var secretEnvWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE"}

// secretEnvName reports whether name looks like it holds a secret.
func secretEnvName(name string) bool {
	up := strings.ToUpper(name)
	for _, w := range secretEnvWords {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// restrictGetenv replaces os.getenv with a version that returns nil for
// secret-looking names, so scripts cannot read the ESL password.
func restrictGetenv(L *lua.LState) {
	osLib := libTable(L, lua.OsLibName)
	if osLib == nil {
		return
	}
	L.RawSet(osLib, lua.LString("getenv"), L.NewFunction(safeGetenv))
}

func safeGetenv(L *lua.LState) int {
	name := L.CheckString(1)
	v, ok := os.LookupEnv(name)
	if !ok || secretEnvName(name) {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(v))
	return 1
}
