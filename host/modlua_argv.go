package host

import (
	"strings"

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

// splitArgs splits an argument string as FreeSWITCH's
// switch_separate_string does for mod_lua's argv: words separated by
// spaces; a single-quoted part keeps its spaces (the quotes are removed
// when a closing quote follows); a backslash escapes a quote, a backslash
// or a space, and \n, \r, \t, \s are a newline, carriage return, tab and
// space; at most maxArgs words.
func splitArgs(s string) []string {
	var words []string
	for _, tok := range argTokens(s) {
		words = append(words, cleanArg(tok))
		if len(words) == maxArgs {
			break
		}
	}
	return words
}

// argTokens cuts s at the spaces outside single quotes (an escaped
// character never ends a word nor opens a quote).
func argTokens(s string) []string {
	var toks []string
	start, quoted := -1, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if start < 0 {
			if c == ' ' {
				continue
			}
			start = i
		}
		switch {
		case c == '\\':
			i++
		case c == '\'':
			quoted = !quoted
		case c == ' ' && !quoted:
			toks = append(toks, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, s[start:])
	}
	return toks
}

// cleanArg removes the quotes and escapes of one word and the spaces
// that end it outside quotes.
func cleanArg(w string) string {
	var b strings.Builder
	end, quoted := 0, false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '\\' && i+1 < len(w) {
			if e, ok := argEscape(w[i+1]); ok {
				b.WriteByte(e)
				end = b.Len()
				i++
				continue
			}
		}
		if c == '\'' && (quoted || strings.IndexByte(w[i+1:], '\'') >= 0) {
			if quoted = !quoted; quoted {
				end = b.Len()
			}
			continue
		}
		b.WriteByte(c)
		if c != ' ' || quoted {
			end = b.Len()
		}
	}
	return b.String()[:end]
}

// argEscape is the character a backslash followed by c stands for.
func argEscape(c byte) (byte, bool) {
	switch c {
	case '\'', '"', '\\':
		return c, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 's':
		return ' ', true
	}
	return 0, false
}
