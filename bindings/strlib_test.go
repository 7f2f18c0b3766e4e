package bindings

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// limitedState returns a state with the standard libraries bounded by
// LimitLibraries(maxString).
func limitedState(t *testing.T, maxString int) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	LimitLibraries(L, maxString)
	NewRegistry().Preload(L, (&testEnv{}).runtime())
	return L
}

// eval returns the results of a Lua expression list, tostring'ed and
// joined with ",", or the error's message.
func eval(t *testing.T, L *lua.LState, exprs string) string {
	t.Helper()
	code := `local function s(...)
		local t = {}
		for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
		return table.concat(t, ",")
	end
	return s(` + exprs + `)`
	if err := L.DoString(code); err != nil {
		return "error: " + err.Error()
	}
	v := L.Get(-1)
	L.Pop(1)
	return v.String()
}

// The string functions behave as the Lua 5.1 manual says (results checked
// against Lua 5.3 where the two agree).
func TestStringFunctionsLua51(t *testing.T) {
	L := limitedState(t, 0)
	for _, c := range []struct{ expr, want string }{
		{`string.find("hello world", "o w")`, "5,7"},
		{`string.find("hello world", "o", 6)`, "8,8"},
		{`string.find("hello", "l", -2)`, "4,4"},
		{`string.find("a.b", ".", 1, true)`, "2,2"},
		{`string.find("abc", "x")`, "nil"},
		{`string.find("abc", "b", 10)`, "nil"},
		{`string.find("THE (quick) fox", "%((%a+)%)")`, "5,11,quick"},
		{`string.find("abc", "^b")`, "nil"},
		{`string.find("abc", "c$")`, "3,3"},
		{`string.match("key = value", "(%w+)%s*=%s*(%w+)")`, "key,value"},
		{`string.match("  x", "()x()")`, "3,4"},
		{`string.match("hello", ".-l")`, "hel"},
		{`string.match("hello", ".*l")`, "hell"},
		{`string.match("f(a(b)c)d", "%b()")`, "(a(b)c)"},
		{`string.match("abcabc", "(abc)%1")`, "abc"},
		{`string.match("[[x]]", "[]]")`, "]"},
		{`string.match("a-b", "[a-]+")`, "a-"},
		{`string.match("a^b", "[%^b]+")`, "^b"},
		{`string.match("2024-01-02", "(%d+)-(%d+)-(%d+)")`, "2024,01,02"},
		{`string.match("x", "y")`, "nil"},
		{`string.gsub("hello world", "o", "0")`, "hell0 w0rld,2"},
		{`string.gsub("abc", "%w", "%0%0")`, "aabbcc,3"},
		{`string.gsub("abc", "", "-")`, "-a-b-c-,4"},
		{`string.gsub("hello world", "(%w+)", "<%1>")`, "<hello> <world>,2"},
		{`string.gsub("abc", "%w", "%%")`, "%%%,3"},
		{`string.gsub("hello", "l", {l = "L"})`, "heLLo,2"},
		{`string.gsub("hello", "(h)(e)", function(a, b) return b .. a end)`, "ehllo,1"},
		{`string.gsub("hello", "l", function() return nil end)`, "hello,2"},
		{`string.gsub("abc", "b", 7)`, "a7c,1"},
		{`string.gsub("aaa", "a", "b", 2)`, "bba,2"},
		{`string.gsub("aaa", "^a", "b")`, "baa,1"},
		{`string.gsub("THE (quick) fox", "%f[%a]%a+", "W")`, "W (W) W,3"},
		{`string.rep("ab", 3)`, "ababab"},
		{`string.rep("ab", 0)`, ""},
		{`("x"):rep(2)`, "xx"},
		{`table.concat({1, "a", 2.5}, "-")`, "1-a-2.5"},
		{`table.concat({"a", "b", "c"}, ",", 2)`, "b,c"},
		{`string.format("%5.2f|%-3s|%03d", 1/3, "a", 7)`, " 0.33|a  |007"},
	} {
		if got := eval(t, L, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

// Where gopher-lua's string functions stray from Lua 5.1, ours follow
// Lua. Each row gives what gopher-lua v1.1.2 returned.
func TestPatternsWhereGopherLuaDiffers(t *testing.T) {
	L := limitedState(t, 0)
	for _, c := range []struct{ expr, want, gopher string }{
		{`string.find("abc", "", 2)`, "2,1", "1,0"},
		{`select("#", string.match("a", "b"))`, "1", "0"},
		{`string.gsub("aaa", "a", "b", 0)`, "aaa,0", "bbb,3"},
		{`string.gsub("abc", "b", "%x")`, "axc,1", "a%xc,1"},
		{`string.match("THE (quick) fox", "%f[%a]%a+")`, "THE", "fox"},
		{`string.match("x-z", "[%a-z]+")`, "x-z", "(no value)"},
		{`string.match("ab", "(a)()%2")`, "nil", "a,2"},
		{`(function() local n = 0 for w in string.gmatch("^a^a", "^a") do n = n + 1 end return n end)()`, "2", "0"},
		{`pcall(string.gsub, "abc", "b", {b = {}})`, "false,<string>:6: invalid replacement value (a table)", "true,ac,1"},
		{`pcall(string.find, "a", "a%")`, "false,<string>:6: malformed pattern (ends with '%')", "nil"},
	} {
		if got := eval(t, L, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q (gopher-lua gave %q)", c.expr, got, c.want, c.gopher)
		}
	}
}

// Malformed patterns raise errors with the caller's position (once the
// matcher reaches the fault, as in Lua).
func TestPatternErrors(t *testing.T) {
	L := limitedState(t, 0)
	for pat, want := range map[string]string{
		"[a":                            "malformed pattern (missing ']')",
		"(a":                            "unfinished capture",
		"a)":                            "invalid pattern capture",
		"%b":                            "unbalanced pattern",
		"%fx":                           "missing '[' after '%f' in pattern",
		"(a)%2":                         "invalid capture index",
		"%0":                            "invalid capture index",
		strings.Repeat("a?", 201) + "b": "pattern too complex",
		strings.Repeat("()", 33):        "too many captures",
	} {
		got := eval(t, L, `pcall(string.match, ("a"):rep(300), "`+pat+`")`)
		if !strings.HasPrefix(got, "false,<string>:6: ") || !strings.HasSuffix(got, want) {
			t.Errorf("find(%q) = %q, want the error %q", pat, got, want)
		}
	}
}
